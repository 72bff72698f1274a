/// An error that ends a command with a documented exit status and one line of text.
///
/// Stages throw these with the status of their own domain; where one wraps a lower error
/// (a Foundation or POSIX failure, a transfer failure), that error is kept as `cause` for
/// debug logs, never shown in the one `error:` line.
public struct AIMError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: ExitStatus
    public let message: String
    /// The lower error this one explains, if any.
    public let cause: (any Error)?

    public init(_ status: ExitStatus, _ message: String, cause: (any Error)? = nil) {
        self.status = status
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    /// Two errors are the same failure when they end a command the same way: status and message.
    public static func == (lhs: AIMError, rhs: AIMError) -> Bool {
        lhs.status == rhs.status && lhs.message == rhs.message
    }

    public static func configuration(_ message: String) -> AIMError {
        AIMError(.configuration, message)
    }
}
