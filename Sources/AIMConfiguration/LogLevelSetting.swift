import AIMCore
import Foundation
import Logging

/// Parses the Python logging level names that AIM_LOG_LEVEL accepts.
enum LogLevelSetting {
    static let accepted = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

    static func parse(_ text: String) -> Logger.Level? {
        switch text.trimmingCharacters(in: .whitespaces).uppercased() {
        case "DEBUG": return .debug
        case "INFO": return .info
        case "WARNING", "WARN": return .warning
        case "ERROR": return .error
        case "CRITICAL", "FATAL": return .critical
        default: return nil
        }
    }

    /// The Python name of a level, as the variable takes it.
    static func name(_ level: Logger.Level) -> String {
        StandardErrorLogHandler.levelName(level)
    }
}
