import AIMConfiguration
import AIMCore
import Logging
import Synchronization

/// The loggers of one command, at the configured levels and format, writing to the context's stderr.
///
/// Stages get their loggers from here. Code that makes its own (`Logger(label:)`, as the supervisor
/// does) uses swift-log's process-wide handler, which a live run installs once per process: swift-log
/// allows one bootstrap, and in-process tests run many commands.
public struct CommandLogs: Sendable {
    private let makeHandler: @Sendable (String) -> any LogHandler

    init(configuration: RuntimeConfiguration, sink: TextSink, bootstrapsProcess: Bool) {
        let level = configuration.logLevel
        let rootLevel = configuration.logLevelRoot
        let format = configuration.logFormat
        makeHandler = { label in
            StandardErrorLogHandler(
                label: label, level: label.hasPrefix("aim_runtime") ? level : rootLevel, format: format, sink: sink)
        }
        if bootstrapsProcess {
            Self.bootstrapOnce(makeHandler)
        }
    }

    public func logger(_ label: String) -> Logger {
        Logger(label: label, factory: makeHandler)
    }

    private static let processBootstrapped = Mutex(false)

    private static func bootstrapOnce(_ factory: @escaping @Sendable (String) -> any LogHandler) {
        let first = processBootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { LoggingSystem.bootstrap(factory) }
    }
}
