import Foundation

/// Where a command's text goes: stdout, stderr, or a test's buffer.
///
/// Commands and log handlers write through a sink rather than to the file handles, so that
/// in-process tests can capture what a user would see.
public struct TextSink: Sendable {
    private let writeText: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) {
        writeText = write
    }

    public func write(_ text: String) {
        writeText(text)
    }

    /// Writes `text` and a newline, as `print` does.
    public func writeLine(_ text: String) {
        writeText(text + "\n")
    }

    public static let standardOutput = TextSink { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public static let standardError = TextSink { text in
        FileHandle.standardError.write(Data(text.utf8))
    }
}
