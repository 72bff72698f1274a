import Foundation

/// What a finished command printed.
public struct ToolOutput: Equatable, Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs a command-line tool; injected so that parsers are tested without the tools.
public protocol ToolRunning: Sendable {
    /// - Throws: `GPUSourceUnavailable` when the tool is missing, cannot start, times out or floods its output.
    func run(_ tool: String, arguments: [String]) async throws -> ToolOutput
}
