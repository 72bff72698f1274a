/// An error that ends a command with a documented exit status and one line of text.
public struct AIMError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public static func configuration(_ message: String) -> AIMError {
        AIMError(.configuration, message)
    }
}
