import AIMCore
import AIMGPU
import AIMModelStore
import AsyncHTTPClient
import Foundation

/// What a command may touch of the world. Commands read and write only through it, so tests run them
/// in-process with a fake environment and captured output (swiftly's `SwiftlyCoreContext` is the model).
public struct CommandContext: Sendable {
    public var environment: [String: String]
    public var standardOutput: TextSink
    /// The `error:` line and the logs.
    public var standardError: TextSink
    /// Whether stdout is a terminal, where lists may be coloured.
    public var standardOutputIsTerminal: Bool
    /// The profiles shipped with this build, used when AIM_PROFILE_BASE_PATH is unset and the image's root is absent.
    public var bundledProfileRoot: String
    /// Makes the one HTTP client of a command, given the stall and connect limits in seconds.
    public var makeHTTPClient: @Sendable (_ stallSeconds: Int, _ connectSeconds: Int) -> HTTPClient
    /// Runs rocm-smi and amd-smi, given PATH and the time limit in seconds.
    public var makeToolRunner: @Sendable (_ path: String?, _ timeoutSeconds: Int) -> any ToolRunning
    /// Whether a command installs its log handler as swift-log's process-wide one (see `CommandLogs`).
    public var bootstrapsProcessLogging: Bool
    /// This build's release number and git commit, for launch receipts.
    public var build: BuildIdentity
    /// The wall clock, for the times in launch receipts.
    public var now: @Sendable () -> Date

    public init(
        environment: [String: String], standardOutput: TextSink, standardError: TextSink,
        standardOutputIsTerminal: Bool = false,
        bundledProfileRoot: String,
        makeHTTPClient: @escaping @Sendable (Int, Int) -> HTTPClient = {
            ModelStore.makeHTTPClient(stallSeconds: $0, connectSeconds: $1)
        },
        makeToolRunner: @escaping @Sendable (String?, Int) -> any ToolRunning = {
            ProcessToolRunner(path: $0, timeout: TimeInterval($1))
        },
        bootstrapsProcessLogging: Bool = false,
        build: BuildIdentity = BuildIdentity(version: "unknown", commit: "unknown"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardOutputIsTerminal = standardOutputIsTerminal
        self.bundledProfileRoot = bundledProfileRoot
        self.makeHTTPClient = makeHTTPClient
        self.makeToolRunner = makeToolRunner
        self.bootstrapsProcessLogging = bootstrapsProcessLogging
        self.build = build
        self.now = now
    }

    /// This process: its environment, stdout and stderr, and the profiles installed with the binary.
    public static func live(build: BuildIdentity) -> CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment, standardOutput: .standardOutput,
            standardError: .standardError,
            standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1, bundledProfileRoot: BundledProfiles.root(),
            bootstrapsProcessLogging: true, build: build)
    }

    /// Whether list output may be coloured: a terminal, and no NO_COLOR.
    var useColour: Bool {
        standardOutputIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// Which build of aim-runtime ran.
public struct BuildIdentity: Equatable, Sendable {
    public let version: String
    public let commit: String

    public init(version: String, commit: String) {
        self.version = version
        self.commit = commit
    }
}
