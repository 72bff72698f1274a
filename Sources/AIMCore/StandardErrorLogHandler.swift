import Foundation
import Logging
import OrderedCollections

/// A swift-log handler that writes one line a record to stderr, as text or JSON.
///
/// stdout is reserved for command output, so that `select --dry-run --format json`
/// can be piped while logs stay visible.
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: LogOutputFormat
    private let sink: TextSink

    /// - Parameter sink: stderr, or a test's buffer.
    public init(label: String, level: Logger.Level, format: LogOutputFormat, sink: TextSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { $1 }
        }
        let line: String
        switch format {
        case .text:
            var text = "\(Self.localTimestamp()) - \(label) - \(Self.levelName(event.level)) - \(event.message)"
            if !merged.isEmpty {
                text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
            line = OneLineText.escape(text)  // A value with a newline must not forge a second record.
        case .json:
            var fields: [(String, StructuredValue)] = [
                ("time", .string(Self.utcTimestamp())),
                ("level", .string(Self.levelName(event.level))),
                ("logger", .string(label)),
                ("message", .string(event.message.description)),
                ("stream", .string("stderr")),
                ("pid", .int(Int(getpid()))),
            ]
            let metadataValue = merged.sorted { $0.key < $1.key }.map {
                ($0.key, StructuredValue.string($0.value.description))
            }
            fields.append(("metadata", .mapping(.init(uniqueKeysWithValues: metadataValue))))
            line = JSONWriter.write(.mapping(.init(uniqueKeysWithValues: fields)))
        }
        sink.writeLine(line)
    }

    /// The Python logging level names, which AIM users already grep for.
    public static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARNING"
        case .error: return "ERROR"
        case .critical: return "CRITICAL"
        }
    }

    /// `2025-11-23 17:05:13,788` in local time, as Python's logging prints it.
    private static func localTimestamp() -> String {
        let (parts, milliseconds) = now(utc: false)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d,%03d",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }

    /// RFC 3339 in UTC with milliseconds, for JSON records.
    public static func utcTimestamp() -> String {
        let (parts, milliseconds) = now(utc: true)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }

    private static func now(utc: Bool) -> (tm, Int) {
        var clock = timeval()
        gettimeofday(&clock, nil)
        var seconds = clock.tv_sec
        var parts = tm()
        if utc {
            gmtime_r(&seconds, &parts)
        } else {
            localtime_r(&seconds, &parts)
        }
        return (parts, Int(clock.tv_usec) / 1000)
    }
}
