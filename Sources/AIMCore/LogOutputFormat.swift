/// How log records are written to stderr.
public enum LogOutputFormat: String, CaseIterable, Sendable {
    /// `2025-11-23 17:05:13,788 - aim_runtime.selection - INFO - message`, as the reference writes.
    case text
    /// One JSON object a line: time, level, logger, message, metadata.
    case json
}
