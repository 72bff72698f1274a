import AIMTestSupport
import Foundation
import Synchronization
import Testing

/// Reliability under hostile input: issue 10's families, one table, run against the release binary (the debug build
/// when no release build exists). Every row must end within its bound, with its documented exit code,
/// no signal, no backtrace, no core file, at most the one `error:` line it expects (naming the input),
/// nothing written outside the cache, and the token never printed.
@Suite(.serialized) struct ReliabilityTests {
    static let token = "hf_hostileRowsSecretToken0123456789"

    /// One hostile input and what must happen.
    struct Row: CustomTestStringConvertible, Sendable {
        let family: Int
        let name: String
        let arguments: [String]
        var environment: [String: String] = [:]
        /// Builds files in the row's scratch directory; `$WORK` in environment values is replaced by it.
        var setup: @Sendable (String) throws -> Void = { _ in }
        let status: Int32
        /// Words the single `error:` line must contain; empty when the row must print no error line.
        var names: [String] = []
        var seconds: Double = 5
        /// Whether other stderr lines (warnings, progress) may come before the error line.
        var logsAllowed = false
        /// Starts the tests' fault-injecting Hub; `$HUB` in environment values is its URL.
        var hub = false
        /// Holds a listening socket on a free port for the run; `$PORT` in environment values is it.
        var holdPort = false
        var testDescription: String { "family \(family): \(name)" }
    }

    static var binary: String { ReleaseBinaryTests.releaseBinary ?? CLI.binary }

    static let base = ["AIM_ID": "org/model", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"]

    static func profiles(_ work: String) throws {
        try write(work + "/profiles/org/model/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml())
        try write(work + "/profiles/general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
    }

    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// A stand-in for a GPU tool: prints `json` and exits 0.
    static func tool(_ work: String, _ name: String, _ script: String) throws {
        try ExecutableFiles.write("#!/bin/sh\n" + script + "\n", at: work + "/bin/" + name)
    }

    static let aliasBomb: String = {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...12 {
            text +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        return text + "metadata: *a12\n"
    }()

    static let rows: [Row] = [
        // 1. Numbers from outside.
        Row(
            family: 1, name: "rocm-smi JSON with inf, 1e30, 26 digits and 1.5e19 percent",
            arguments: ["gpus", "--format", "json"],
            environment: ["AIM_GPU_SOURCE": "rocm-smi", "PATH": "$WORK/bin:/usr/bin:/bin"],
            setup: {
                try tool(
                    $0, "rocm-smi",
                    """
                    echo '{"card0": {"Device ID": "0x74a1", "VRAM Total Memory (B)": "inf", "VRAM Total Used Memory (B)": 1e30, \
                    "GPU use (%)": 1.5e19, "Unique ID": "12345678901234567890123456"}, "card1": {"Device ID": "0x74a1", \
                    "VRAM Total Memory (B)": 123456789012345678901234567890, "GPU use (%)": "nan", "VRAM Total Used Memory (B)": -5}}'
                    """)
            },
            status: 0, logsAllowed: true),
        Row(
            family: 1, name: "amd-smi JSON with huge and infinite values", arguments: ["gpus", "--format", "json"],
            environment: ["AIM_GPU_SOURCE": "amd-smi", "PATH": "$WORK/bin:/usr/bin:/bin"],
            setup: {
                try tool(
                    $0, "amd-smi",
                    """
                    if [ "$1" = static ]; then echo '[{"gpu": 1e300, "asic": {"device_id": "0x74a1", "market_name": "MI300X"}, \
                    "vram": {"size": {"value": 1e300, "unit": "GB"}}}]'; \
                    else echo '[{"gpu": 1e300, "usage": {"gfx_activity": 1.5e19}, "mem_usage": {"used_vram": {"value": "inf", "unit": "MB"}}}]'; fi
                    """)
            },
            status: 0, logsAllowed: true),
        Row(
            family: 1, name: "KFD properties with 26-digit and negative numbers",
            arguments: ["gpus", "--format", "json"],
            environment: ["AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": "$WORK/sys"],
            setup: { work in
                let node = work + "/sys/class/kfd/kfd/topology/nodes/1"
                try write(
                    node + "/properties",
                    """
                    simd_count 99999999999999999999999999
                    gfx_target_version 90402
                    device_id 18446744073709551615
                    location_id -1
                    num_xcc 18446744073709551615
                    drm_render_minor 99999999999999999999
                    """)
                try write(node + "/mem_banks/0/properties", "heap_type 1\nsize_in_bytes 18446744073709551615\n")
                try write(node + "/mem_banks/1/properties", "heap_type 2\nsize_in_bytes 18446744073709551615\n")
            },
            status: 0, logsAllowed: true),
        Row(
            family: 1, name: "AIM_DOWNLOAD_CHUNK_MIB far too large",
            arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["AIM_DOWNLOAD_CHUNK_MIB": "99999999999999", "AIM_CACHE_PATH": "$WORK/cache"],
            status: 2, names: ["AIM_DOWNLOAD_CHUNK_MIB"]),
        Row(
            family: 1, name: "AIM_GPU_COUNT in exponent form", arguments: ["select", "--dry-run"],
            environment: ["AIM_GPU_COUNT": "1e30"], setup: profiles, status: 2, names: ["AIM_GPU_COUNT"]),
        Row(
            family: 1, name: "AIM_GPU_COUNT of 18 digits", arguments: ["select", "--dry-run"],
            environment: ["AIM_GPU_COUNT": "999999999999999999"], setup: profiles, status: 2, names: ["AIM_GPU_COUNT"]),
        Row(
            family: 1, name: "AIM_STARTUP_TIMEOUT_SECONDS overflowing nanoseconds", arguments: ["select", "--dry-run"],
            environment: ["AIM_STARTUP_TIMEOUT_SECONDS": "999999999999999999"], setup: profiles, status: 2,
            names: ["AIM_STARTUP_TIMEOUT_SECONDS"]),
        Row(
            family: 1, name: "AIM_DOWNLOAD_CONNECTIONS of zero", arguments: ["select", "--dry-run"],
            environment: ["AIM_DOWNLOAD_CONNECTIONS": "0"], setup: profiles, status: 2,
            names: ["AIM_DOWNLOAD_CONNECTIONS"]),
        Row(
            family: 1, name: "AIM_PORT of 20 digits", arguments: ["select", "--dry-run"],
            environment: ["AIM_PORT": "99999999999999999999"], setup: profiles, status: 2, names: ["AIM_PORT"]),
        // 2. Unbounded work.
        Row(
            family: 2, name: "sysfs properties of 200 MB", arguments: ["gpus", "--format", "json"],
            environment: ["AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": "$WORK/sys"],
            setup: { work in
                let path = work + "/sys/class/kfd/kfd/topology/nodes/1/properties"
                try write(path, "gfx_target_version 90402\nsimd_count 304\n")
                #expect(truncate(path, 200 << 20) == 0)
            },
            status: 5, names: ["GPU"], logsAllowed: true),
        // 3. Shell injection through printed scripts.
        Row(
            family: 3, name: "env_vars name that is shell", arguments: ["select", "--dry-run", "--format", "text"],
            environment: ["AIM_PROFILE_ID": "vllm-mi300x-fp16-tp1-latency"],
            setup: { work in
                try write(
                    work + "/profiles/org/model/vllm-mi300x-fp16-tp1-latency.yaml",
                    ProfileFixture.yaml(
                        envVars: "  \"X;touch $WORK/pwned;Y\": '1'\n".replacingOccurrences(of: "$WORK", with: work)))
            },
            status: 4, names: ["vllm-mi300x-fp16-tp1-latency"], logsAllowed: true),
        // 4. Settings checked late or not at all.
        Row(
            family: 4, name: "HF_ENDPOINT without a scheme",
            arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["HF_ENDPOINT": "hub.example.com", "AIM_CACHE_PATH": "$WORK/cache"], status: 2,
            names: ["HF_ENDPOINT"], seconds: 2),
        Row(
            family: 4, name: "HF_ENDPOINT with an ftp scheme",
            arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["HF_ENDPOINT": "ftp://hub.example.com", "AIM_CACHE_PATH": "$WORK/cache"], status: 2,
            names: ["HF_ENDPOINT"], seconds: 2),
        Row(
            family: 4, name: "HF_ENDPOINT without a host", arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["HF_ENDPOINT": "http://", "AIM_CACHE_PATH": "$WORK/cache"], status: 2, names: ["HF_ENDPOINT"],
            seconds: 2),
        Row(
            family: 4, name: "AWS_ENDPOINT_URL without a scheme",
            arguments: ["download-to-cache", "--model-id", "s3://bucket/model"],
            environment: ["AWS_ENDPOINT_URL": "s3.example.com", "AIM_CACHE_PATH": "$WORK/cache"], status: 2,
            names: ["AWS_ENDPOINT_URL"], seconds: 2),
        Row(
            family: 4, name: "AIM_PROFILE_BASE_PATH missing", arguments: ["select", "--dry-run"],
            environment: ["AIM_PROFILE_BASE_PATH": "$WORK/nowhere"], status: 2, names: ["AIM_PROFILE_BASE_PATH"]),
        Row(
            family: 4, name: "AIM_PROFILE_BASE_PATH a file", arguments: ["select", "--dry-run"],
            environment: ["AIM_PROFILE_BASE_PATH": "$WORK/file"], setup: { try write($0 + "/file", "x") },
            status: 2, names: ["AIM_PROFILE_BASE_PATH"]),
        Row(
            family: 4, name: "AIM_CACHE_PATH a file", arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["AIM_CACHE_PATH": "$WORK/file"], setup: { try write($0 + "/file", "x") }, status: 2,
            names: ["AIM_CACHE_PATH"]),
        Row(
            family: 4, name: "AIM_ENGINE_ARGS with an empty key", arguments: ["select", "--dry-run"],
            environment: ["AIM_ENGINE_ARGS": #"{"": 1}"#], setup: profiles, status: 2, names: ["AIM_ENGINE_ARGS"]),
        Row(
            family: 4, name: "AIM_ENGINE_ARGS with a control character in a key", arguments: ["select", "--dry-run"],
            environment: ["AIM_ENGINE_ARGS": #"{"max-model-len\u0001": 1}"#], setup: profiles, status: 2,
            names: ["AIM_ENGINE_ARGS"]),
        Row(
            family: 4, name: "AIM_ENGINE_ARGS with a NUL in a value", arguments: ["select", "--dry-run"],
            environment: ["AIM_ENGINE_ARGS": #"{"served-model-name": "a\u0000b"}"#], setup: profiles, status: 2,
            names: ["AIM_ENGINE_ARGS"]),
        // 5. Raw library errors and slow failures.
        Row(
            family: 5, name: "a refused Hub port fails fast",
            arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["HF_ENDPOINT": "http://127.0.0.1:9", "AIM_CACHE_PATH": "$WORK/cache"],
            status: 6, names: ["127.0.0.1", "HF_ENDPOINT"], seconds: 2, logsAllowed: true),
        Row(
            family: 5, name: "an unresolvable Hub host fails fast",
            arguments: ["download-to-cache", "--model-id", "org/model"],
            environment: ["HF_ENDPOINT": "http://no-such-host.invalid", "AIM_CACHE_PATH": "$WORK/cache"],
            status: 6, names: ["no-such-host.invalid", "HF_ENDPOINT"], seconds: 2, logsAllowed: true),
        Row(
            family: 5, name: "dry-run JSON with an unresolvable Hub is quick",
            arguments: ["dry-run", "--format", "json"],
            environment: ["HF_ENDPOINT": "http://no-such-host.invalid"], setup: profiles, status: 0, seconds: 2,
            logsAllowed: true),
        Row(
            family: 5, name: "a newline in a value stays on one line", arguments: ["select", "--dry-run"],
            environment: ["AIM_PRECISION": "fp8\nerror: forged second line"], setup: profiles, status: 2,
            names: ["AIM_PRECISION", "\\n"]),
        Row(
            family: 5, name: "an escape sequence in a value is shown, not sent to the terminal",
            arguments: ["select", "--dry-run"],
            environment: ["AIM_ID": "org/\u{1B}[2Jmodel"], setup: profiles, status: 2, names: ["AIM_ID", "\\u{1B}"]),
        Row(
            family: 5, name: "an unknown option is one line with exit 2", arguments: ["select", "--no-such-flag"],
            status: 2, names: ["--no-such-flag"]),
        Row(
            family: 5, name: "a gated model without any token asks for one",
            arguments: ["download-to-cache", "--model-id", "faults/gated"],
            environment: ["HF_ENDPOINT": "$HUB", "HF_TOKEN": "", "AIM_CACHE_PATH": "$WORK/cache"],
            status: 8, names: ["faults/gated", "HF_TOKEN"], seconds: 5, logsAllowed: true, hub: true),
        Row(
            family: 5, name: "a gated model with a wrong token says it was rejected",
            arguments: ["download-to-cache", "--model-id", "faults/gated"],
            environment: ["HF_ENDPOINT": "$HUB", "AIM_CACHE_PATH": "$WORK/cache"],
            status: 9, names: ["faults/gated", "HF_TOKEN"], seconds: 5, logsAllowed: true, hub: true),
        // 6. Supervision: a port someone else answers is not our engine.
        Row(
            family: 6, name: "serve on a port that is already taken", arguments: ["serve"],
            environment: ["AIM_ID": "", "AIM_MODEL_ID": "$WORK/model", "AIM_PORT": "$PORT", "PATH": "/usr/bin:/bin"],
            setup: { try write($0 + "/model/config.json", "{}") },
            status: 2, names: ["$PORT", "AIM_PORT"], logsAllowed: true, holdPort: true),
        // 7. The cache and the catalogue do not hide broken files.
        Row(
            family: 7, name: "a cached snapshot file that is a symlink loop", arguments: ["cache", "verify"],
            environment: ["AIM_CACHE_PATH": "$WORK/cache"],
            setup: { work in
                let snapshot = work + "/cache/hub/models--org--model/snapshots/0123456789abcdef0123456789abcdef01234567"
                try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
                try write(work + "/cache/hub/models--org--model/refs/main", "0123456789abcdef0123456789abcdef01234567")
                #expect(symlink("config.json", snapshot + "/config.json") == 0)
            },
            status: 6, names: ["config.json"], logsAllowed: true),
        Row(
            family: 7, name: "a FIFO named like a profile", arguments: ["validate-profiles", "$WORK/profiles"],
            setup: { work in
                try profiles(work)
                #expect(mkfifo(work + "/profiles/general/fifo.yaml", 0o644) == 0)
            },
            status: 4, names: ["fifo.yaml"], logsAllowed: true),
        Row(
            family: 7, name: "a profile that is a symlink loop", arguments: ["validate-profiles", "$WORK/profiles"],
            setup: { work in
                try profiles(work)
                #expect(symlink("loop.yaml", work + "/profiles/general/loop.yaml") == 0)
            },
            status: 4, names: ["loop.yaml"], logsAllowed: true),
    ]

    @Test(arguments: rows)
    func hostileInputEndsCleanly(_ row: Row) throws {
        let work = try TemporaryDirectory()
        try row.setup(work.path)
        let hub = row.hub ? try LocalServer(["python3", CLI.packageRoot + "/Tests/Servers/fault_hub.py"]) : nil
        let held = row.holdPort ? try HeldPort() : nil
        func expand(_ text: String) -> String {
            text.replacingOccurrences(of: "$WORK", with: work.path).replacingOccurrences(
                of: "$HUB", with: hub?.url ?? ""
            )
            .replacingOccurrences(of: "$PORT", with: held.map { String($0.port) } ?? "")
        }
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": work.path + "/home", "TMPDIR": work.path + "/tmp", "HF_TOKEN": Self.token,
            "AIM_PROFILE_BASE_PATH": work.path + "/profiles",
            "AIM_STATUS_PATH": work.path + "/status/serve-status.json",
            "AIM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS": "15",
        ].merging(Self.base) { $1 }
        for (key, value) in row.environment { environment[key] = expand(value) }
        if !FileManager.default.fileExists(atPath: work.path + "/profiles") { try Self.profiles(work.path) }
        let before = Set(try FileManager.default.subpathsOfDirectory(atPath: work.path))
        let arguments = row.arguments.map(expand)

        let outcome = try BoundedRun.run(
            Self.binary, arguments, environment: environment, directory: work.path, limit: row.seconds + 5)

        #expect(!outcome.timedOut, "did not end within \(row.seconds + 5) s")
        #expect(outcome.seconds <= row.seconds, "took \(outcome.seconds) s, bound \(row.seconds) s")
        #expect(outcome.signal == nil, "killed by signal \(outcome.signal ?? 0)")
        #expect(outcome.status == row.status, "exit \(outcome.status); stderr: \(outcome.stderr)")
        for marker in [
            "Backtrace", "Fatal error", "Stack dump", "HTTPClientError", "NSCocoaErrorDomain", "NIOTooManyBytes",
            "Error Domain=",
        ] {
            #expect(!outcome.stderr.contains(marker), "stderr shows \(marker): \(outcome.stderr)")
        }
        #expect(!(outcome.stdout + outcome.stderr).contains(Self.token), "the token was printed")
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        let errorLines = lines.filter { $0.hasPrefix("error:") }
        if row.names.isEmpty {
            #expect(errorLines.isEmpty, "unexpected error line: \(outcome.stderr)")
        } else {
            #expect(errorLines.count == 1, "expected one error line: \(outcome.stderr)")
            if !row.logsAllowed {
                #expect(lines.count == 1, "expected stderr to be the error line alone: \(outcome.stderr)")
            }
            for name in row.names.map(expand) {
                #expect(
                    errorLines.first?.contains(name) == true, "the error line does not name \(name): \(outcome.stderr)")
            }
        }
        // Nothing created outside the cache (and no core file anywhere in the scratch directory).
        let created = Set(try FileManager.default.subpathsOfDirectory(atPath: work.path)).subtracting(before)
            .filter { !["cache", "home", "tmp", "status"].contains(String($0.split(separator: "/").first ?? "")) }
        #expect(created.isEmpty, "created outside the cache: \(created.sorted())")
        #expect(!FileManager.default.fileExists(atPath: work.path + "/pwned"))
    }
}

/// A listening socket on a free loopback port, closed when the value goes away: another server on "our" port.
final class HeldPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound, listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

/// Runs a program with a wall-clock limit, killing its process group when the limit passes,
/// so that a hang fails the test instead of stalling the suite.
enum BoundedRun {
    struct Outcome {
        let status: Int32
        let signal: Int32?
        let stdout: String
        let stderr: String
        let seconds: Double
        let timedOut: Bool
    }

    static func run(
        _ path: String, _ arguments: [String], environment: [String: String], directory: String, limit: Double
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        let start = Date()
        try process.run()
        let output = PipeText(stdout.fileHandleForReading)
        let errors = PipeText(stderr.fileHandleForReading)
        let timedOut = ended.wait(timeout: .now() + limit) == .timedOut
        if timedOut {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            ended.wait()
        }
        let seconds = Date().timeIntervalSince(start)
        let signalled = process.terminationReason == .uncaughtSignal
        return Outcome(
            status: signalled ? 128 + process.terminationStatus : process.terminationStatus,
            signal: signalled ? process.terminationStatus : nil,
            stdout: output.text(), stderr: errors.text(), seconds: seconds, timedOut: timedOut)
    }

    /// Drains a pipe on its own thread, so that a chatty child cannot block on a full pipe.
    private final class PipeText: Sendable {
        private let data = Mutex(Data())
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                let all = handle.readDataToEndOfFile()
                data.withLock { $0 = all }
                done.signal()
            }
        }

        func text() -> String {
            done.wait()
            return String(decoding: data.withLock { $0 }, as: UTF8.self)
        }
    }
}
