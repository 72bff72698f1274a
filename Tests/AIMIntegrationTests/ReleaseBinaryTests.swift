import AIMTestSupport
import Foundation
import Testing

/// The release binary runs where no Swift toolchain is installed (the ROCm runtime image):
/// built with --static-swift-stdlib, it needs only the system's C and C++ libraries.
/// Checked by running it with the toolchain's directory hidden under an empty tmpfs, in a private
/// mount namespace, and by showing that the dynamically linked test build fails the same way.
@Suite struct ReleaseBinaryTests {
    /// The binary the README's first command and .ci/run build.
    static let releaseBinary: String? = {
        let path =
            ProcessInfo.processInfo.environment["AIM_RELEASE_BINARY"] ?? CLI.packageRoot + "/.build/release/aim-runtime"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Where the toolchain keeps the Swift runtime the test build links to: the prefix before /usr/lib/swift.
    static let toolchainRoot: String? = {
        guard let ldd = TestTools.onPath("ldd"), let listing = try? CLI.runProgram(ldd, [CLI.binary]) else {
            return nil
        }
        let runtime = listing.stdout.split(separator: "\n").first { $0.contains("libswiftCore.so") }
        guard let path = runtime?.split(separator: " ").first(where: { $0.hasPrefix("/") }),
            let range = path.range(of: "/usr/lib/swift"),
            range.lowerBound != path.startIndex
        else { return nil }
        // A toolchain installed under /usr itself cannot be hidden without hiding the system.
        return String(path[..<range.lowerBound])
    }()

    /// Root alone is not enough: a container's root may lack CAP_SYS_ADMIN, so try a private mount for real.
    static let canHideDirectories: Bool = {
        guard getuid() == 0, let unshare = TestTools.onPath("unshare") else { return false }
        return (try? CLI.runProgram(unshare, ["--mount", "--propagation", "private", "/bin/true"]))?.status == 0
    }()

    /// Runs `command` after `mounts` (shell commands on `$1`, `directory`), in a mount namespace of its own,
    /// so that no other process sees them.
    static func runWithPrivateMounts(
        _ mounts: String, on directory: String, _ command: [String], environment: [String: String]
    ) throws -> CLI.Outcome {
        try CLI.runProgram(
            TestTools.onPath("unshare")!,
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c", mounts + " && shift && exec \"$@\"", "mounts",
                directory,
            ] + command,
            environment: environment)
    }

    /// Runs `command` with `directory` covered by an empty tmpfs, seen only by this command.
    func runHiding(_ directory: String, _ command: [String], environment: [String: String] = [:]) throws -> CLI.Outcome
    {
        try Self.runWithPrivateMounts(
            "mount -t tmpfs none \"$1\"", on: directory, command,
            environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { $1 })
    }

    @Test(
        .enabled(
            if: releaseBinary != nil,
            "no release binary: build it with `swift build -c release --static-swift-stdlib` (scripts/demo-cpu.sh and .ci/run do)"
        ))
    func releaseBinaryLinksOnlySystemLibraries() throws {
        let listing = try CLI.runProgram(try #require(TestTools.onPath("ldd")), [Self.releaseBinary!])
        #expect(listing.status == 0, "\(listing.stderr)")
        let libraries = listing.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!libraries.isEmpty)
        for library in libraries {
            #expect(
                !library.contains("swift") && !library.contains("Foundation") && !library.contains("dispatch")
                    && !library.contains("not found"),
                "\(library): build with --static-swift-stdlib")
            if let root = Self.toolchainRoot { #expect(!library.contains(root), "\(library) comes from the toolchain") }
        }
    }

    @Test(
        .enabled(
            if: releaseBinary != nil && canHideDirectories && toolchainRoot != nil,
            "needs the release binary, a private mount namespace (root with CAP_SYS_ADMIN) to hide the toolchain, and a toolchain outside /usr found through the test build"
        ))
    func releaseBinaryRunsWithTheToolchainHidden() throws {
        let root = Self.toolchainRoot!
        let dynamic = try runHiding(root, [CLI.binary, "--version"])
        #expect(
            dynamic.status != 0 && dynamic.stderr.contains("error while loading shared libraries: libswift"),
            "hiding \(root) must break a dynamically linked binary, or this test proves nothing: \(dynamic.status) \(dynamic.stderr)"
        )

        let version = try runHiding(root, [Self.releaseBinary!, "--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("aim-runtime "), "\(version.status) \(version.stderr)")
        let plan = try runHiding(
            root, [Self.releaseBinary!, "select", "--dry-run", "--format", "json"],
            environment: [
                "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "8", "AIM_ID": "CohereLabs/command-a-reasoning-08-2025",
                "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
            ])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(
            plan.stdout.contains("\"tensor-parallel-size\"") || plan.stdout.contains("--tensor-parallel-size"),
            "\(plan.stdout.prefix(400))")
    }
}
