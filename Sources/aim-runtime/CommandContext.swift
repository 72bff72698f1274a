import AIMConfiguration
import AIMCore
import AIMEngine
import AIMGPU
import AIMReports
import AIMSelection
import ArgumentParser
import Foundation
import Logging

/// What every command does first: read the configuration, start logging, and
/// build the planner. A configuration error throws an `AIMError` with status 2.
struct CommandContext {
    let configuration: RuntimeConfiguration
    let planner: LaunchPlanner
    let detector: GPUDetector
    let environment: [String: String]

    init(settings: SettingsOptions, identity: IdentityOptions? = nil, requireModel: Bool) throws {
        environment = ProcessInfo.processInfo.environment
        let loader = ConfigurationLoader(bundledProfileRoot: BundledProfiles.root())
        let flags = settings.overrides.merging(identity?.overrides ?? [:]) { $1 }
        configuration = try loader.load(ConfigurationInput(environment: environment, flags: flags), requireModel: requireModel)
        LogBootstrap.start(configuration)
        detector = GPUDetector(
            readers: GPUDetector.readers(
                for: configuration.gpuSource, sysfsRoot: configuration.sysfsPath,
                tools: ProcessToolRunner(path: environment["PATH"], timeout: TimeInterval(configuration.gpuDetectTimeoutSeconds))),
            environment: environment)
        planner = LaunchPlanner(gpuResolver: GPUTargetResolver(detector: detector), executables: ExecutableLocator(path: environment["PATH"]))
    }

    /// Whether list output may be coloured: a terminal, and no NO_COLOR.
    var useColour: Bool {
        isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// Ends a command: prints one error line to stderr and exits with the error's documented status.
enum Failure {
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        let failure = ErrorReport.classify(error)
        FileHandle.standardError.write(Data(ErrorReport.line(failure).utf8))
        return ExitCode(failure.status.rawValue)
    }

    /// Runs a command body, turning whatever it throws into its line and exit code.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            throw report(error)
        }
    }
}

/// Starts swift-log once the log level and format are known.
enum LogBootstrap {
    static func start(_ configuration: RuntimeConfiguration) {
        LoggingSystem.bootstrap { label in
            let level = label.hasPrefix("aim_runtime") ? configuration.logLevel : configuration.logLevelRoot
            return StandardErrorLogHandler(label: label, level: level, format: configuration.logFormat)
        }
    }
}
