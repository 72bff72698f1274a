import AIMTestSupport
import Foundation
import Testing

/// The base image's runtime stage, rebuilt as a bare root filesystem: the release binary, the system
/// libraries `ldd` names and nothing else (no Swift toolchain, no shell, no Python), laid out and
/// configured as docker/Dockerfile does. The binary runs there under chroot, as it would in the image.
@Suite struct ImageLayoutTests {
    static let chroot = ["/usr/sbin/chroot", "/sbin/chroot"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The `ENV` block of docker/Dockerfile, as the container sees it.
    static func imageEnvironment() throws -> [String: String] {
        let lines = try String(contentsOfFile: CLI.packageRoot + "/docker/Dockerfile", encoding: .utf8).split(
            separator: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("ENV ") }) else { return [:] }
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
        for line in lines[start...] {
            for word in line.dropFirst(line.hasPrefix("ENV ") ? 4 : 0).split(separator: " ") where word.contains("=") {
                let parts = word.split(separator: "=", maxSplits: 1)
                environment[String(parts[0])] = String(parts[1])
            }
            if !line.hasSuffix("\\") { break }
        }
        return environment
    }

    /// Copies what the Dockerfile puts in the image into `root`.
    static func buildRoot(_ root: String, binary: String) throws {
        let files = FileManager.default
        // The binary and the loader run here, so a child writes them (see ExecutableFiles).
        func place(_ source: String, at path: String) throws {
            try ExecutableFiles.install(URL(fileURLWithPath: source).resolvingSymlinksInPath().path, at: root + path)
        }
        let listing = try CLI.runProgram(try #require(TestTools.onPath("ldd")), [binary])
        for line in listing.stdout.split(separator: "\n") {
            if let library = line.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("/") }) {
                try place(String(library), at: String(library))
            }
        }
        try place(binary, at: "/usr/local/bin/aim-runtime")
        try files.createDirectory(atPath: root + "/workspace/aim-runtime/profiles", withIntermediateDirectories: true)
        try files.copyItem(
            atPath: CLI.packageRoot + "/profiles/general", toPath: root + "/workspace/aim-runtime/profiles/general")
        for directory in ["/workspace/model-cache", "/workspace/aim-runtime/profiles/custom", "/tmp", "/proc", "/dev"] {
            try files.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        try files.createSymbolicLink(
            atPath: root + "/workspace/entrypoint.py", withDestinationPath: "/usr/local/bin/aim-runtime")
    }

    /// Runs `command` chrooted into `root`, with /proc and /dev bound in a private mount namespace.
    func runInImage(_ root: String, _ command: [String], environment: [String: String] = [:]) throws -> CLI.Outcome {
        try ReleaseBinaryTests.runWithPrivateMounts(
            "mount --bind /proc \"$1/proc\" && mount --bind /dev \"$1/dev\"", on: root,
            [Self.chroot!, root] + command,
            environment: try Self.imageEnvironment().merging(environment) { $1 })
    }

    @Test(
        .enabled(
            if: ReleaseBinaryTests.releaseBinary != nil && ReleaseBinaryTests.canHideDirectories && chroot != nil,
            "needs the release binary (`swift build -c release --static-swift-stdlib`), root with a private mount namespace, and chroot"
        ))
    func releaseBinaryWorksInTheImageLayoutWithNothingElse() throws {
        let image = try TemporaryDirectory()
        try Self.buildRoot(image.path, binary: ReleaseBinaryTests.releaseBinary!)
        #expect(!FileManager.default.fileExists(atPath: image.path + "/bin/sh"), "the root holds no shell")

        let version = try runInImage(image.path, ["/usr/local/bin/aim-runtime", "--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("aim-runtime "), "\(version.status): \(version.stderr)")

        // The Dockerfile's own build step.
        let validation = try runInImage(
            image.path, ["/usr/local/bin/aim-runtime", "validate-profiles", "/workspace/aim-runtime/profiles/general"])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")

        // What AMD's operator runs: the reference entrypoint's name, its JSON dry-run; the profile root is found
        // at the container path with no AIM_PROFILE_BASE_PATH.
        let plan = try runInImage(
            image.path, ["/workspace/entrypoint.py", "select", "--dry-run", "--format=json"],
            environment: [
                "AIM_MODEL_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1",
            ])
        #expect(plan.status == 0, "\(plan.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        #expect(
            (document["profile"] as? [String: Any])?["source"] as? String == "general", "\(plan.stdout.prefix(500))")
        #expect(
            plan.stdout.contains("/workspace/model-cache")
                || ((document["model"] as? [String: Any])?["cache"] as? [String: Any])?["state"] as? String == "missing"
        )

        // The HEALTHCHECK with no serve running: one line, exit 1.
        let health = try runInImage(image.path, ["/usr/local/bin/aim-runtime", "health", "--ready"])
        #expect(
            health.status == 1 && health.stdout.split(separator: "\n").count == 1,
            "\(health.status): \(health.stdout)\(health.stderr)")

        // No GPU and no /sys in this root: the report says why each source found nothing, with exit 5.
        let gpus = try runInImage(image.path, ["/usr/local/bin/aim-runtime", "gpus"])
        #expect(
            gpus.status == 5 && gpus.stdout.hasPrefix("No AMD GPU found.") && gpus.stdout.contains("skipped sysfs"),
            "\(gpus.status): \(gpus.stdout)\(gpus.stderr)")
    }
}
