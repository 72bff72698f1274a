import AIMProcess
import Foundation

/// Runs tools found on PATH with a time limit and an output cap, so that a hung or
/// endlessly printing `rocm-smi` costs seconds and then lets detection move on to the next source.
public struct ProcessToolRunner: ToolRunning {
    /// rocm-smi's JSON for 64 partitions is under 100 KiB; 8 MiB is a tool gone wrong.
    public static let defaultStdoutLimit = 8 << 20
    /// Only the last line of stderr is shown.
    public static let defaultStderrLimit = 64 << 10

    private let searchPath: [String]
    private let timeout: TimeInterval
    private let stdoutLimit: Int
    private let stderrLimit: Int

    public init(
        path: String?, timeout: TimeInterval, stdoutLimit: Int = defaultStdoutLimit,
        stderrLimit: Int = defaultStderrLimit
    ) {
        searchPath = (path ?? "").split(separator: ":").map(String.init)
        self.timeout = timeout
        self.stdoutLimit = stdoutLimit
        self.stderrLimit = stderrLimit
    }

    public func run(_ tool: String, arguments: [String]) async throws -> ToolOutput {
        guard
            let executable = searchPath.map({ $0 + "/" + tool }).first(
                where: FileManager.default.isExecutableFile(atPath:))
        else {
            throw GPUSourceUnavailable("\(tool) is not on PATH")
        }
        let outcome: ToolProcessOutcome
        do {
            outcome = try await ToolProcess.run(
                executable, arguments: arguments, timeout: .seconds(timeout), stdoutLimit: stdoutLimit,
                stderrLimit: stderrLimit)
        } catch {
            throw GPUSourceUnavailable(error.reason)
        }
        guard !outcome.timedOut, let status = outcome.status else {
            throw GPUSourceUnavailable("\(tool) did not answer within \(Int(timeout)) s and was stopped")
        }
        if outcome.stdoutCut {
            throw GPUSourceUnavailable("\(tool) printed more than \(stdoutLimit / 1024) KiB and was stopped")
        }
        if outcome.stderrCut {
            throw GPUSourceUnavailable("\(tool) printed more than \(stderrLimit / 1024) KiB of errors and was stopped")
        }
        return ToolOutput(status: status, stdout: outcome.stdoutText, stderr: outcome.stderrText)
    }
}
