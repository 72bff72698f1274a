/// How a short-lived program ended, and what it printed (at most its limits).
public struct ToolProcessOutcome: Equatable, Sendable {
    /// The exit code (128+N after signal N); nil when the program was still running when given up on.
    public var status: Int32?
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// It ran past its time limit, and its process group was killed.
    public var timedOut: Bool
    /// It printed more than the limit on stdout (or stderr), and its process group was killed.
    public var stdoutCut: Bool
    public var stderrCut: Bool

    public init(status: Int32?, stdout: [UInt8], stderr: [UInt8], timedOut: Bool, stdoutCut: Bool, stderrCut: Bool) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.stdoutCut = stdoutCut
        self.stderrCut = stderrCut
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Why a program could not be run: not there, not executable, or the spawn or its monitoring failed.
public struct ToolProcessFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
