import Foundation

/// Runs tools found on PATH with a time limit, so that a hung `rocm-smi`
/// costs seconds and then lets detection move on to the next source.
public struct ProcessToolRunner: ToolRunning {
    private let searchPath: [String]
    private let timeout: TimeInterval

    public init(path: String?, timeout: TimeInterval) {
        searchPath = (path ?? "").split(separator: ":").map(String.init)
        self.timeout = timeout
    }

    public func run(_ tool: String, arguments: [String]) throws -> ToolOutput {
        guard let executable = searchPath.map({ $0 + "/" + tool }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw GPUSourceUnavailable("\(tool) is not on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw GPUSourceUnavailable("\(executable) could not start: \(error.localizedDescription)")
        }
        // Drain both pipes while the tool runs, so a chatty tool cannot fill a pipe and stall.
        let output = PipeCollector(stdout.fileHandleForReading)
        let errors = PipeCollector(stderr.fileHandleForReading)
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            // Foundation starts the tool in its own process group; kill the group, so that a
            // child of the tool holding the pipes open cannot keep us waiting.
            kill(-process.processIdentifier, SIGKILL)
            finished.wait()
            throw GPUSourceUnavailable("\(tool) did not answer within \(Int(timeout)) s and was stopped")
        }
        return ToolOutput(status: process.terminationStatus, stdout: output.text(), stderr: errors.text())
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
