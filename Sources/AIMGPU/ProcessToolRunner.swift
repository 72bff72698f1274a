import Foundation
import Synchronization

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

    public init(path: String?, timeout: TimeInterval, stdoutLimit: Int = defaultStdoutLimit, stderrLimit: Int = defaultStderrLimit) {
        searchPath = (path ?? "").split(separator: ":").map(String.init)
        self.timeout = timeout
        self.stdoutLimit = stdoutLimit
        self.stderrLimit = stderrLimit
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
        let deadline = DispatchTime.now() + timeout
        // Foundation starts the tool in its own process group; killing the group also stops a
        // child of the tool that holds the pipes open.
        let group = process.processIdentifier
        let stopGroup: @Sendable () -> Void = { kill(-group, SIGKILL) }
        // Drain both pipes while the tool runs, so a chatty tool cannot fill a pipe and stall.
        let output = PipeCollector(stdout.fileHandleForReading.fileDescriptor, limit: stdoutLimit, onOverflow: stopGroup)
        let errors = PipeCollector(stderr.fileHandleForReading.fileDescriptor, limit: stderrLimit, onOverflow: stopGroup)
        if finished.wait(timeout: deadline) == .timedOut {
            stopGroup()
            // Foundation reports the exit only once every process holding the tool's descriptors is gone,
            // and one that left the group (setsid) escapes the kill: wait a moment for it, never forever.
            _ = finished.wait(timeout: .now() + 1)
            throw GPUSourceUnavailable("\(tool) did not answer within \(Int(timeout)) s and was stopped")
        }
        // The tool has exited; a descendant that keeps a pipe open gets what is left of the time limit.
        guard output.wait(until: deadline), errors.wait(until: deadline) else {
            stopGroup()
            throw GPUSourceUnavailable("\(tool) exited but its output did not end within \(Int(timeout)) s")
        }
        if output.overflowed {
            throw GPUSourceUnavailable("\(tool) printed more than \(stdoutLimit / 1024) KiB and was stopped")
        }
        if errors.overflowed {
            throw GPUSourceUnavailable("\(tool) printed more than \(stderrLimit / 1024) KiB of errors and was stopped")
        }
        return ToolOutput(status: process.terminationStatus, stdout: output.text, stderr: errors.text)
    }
}

/// Reads a pipe to its end, or to `limit` bytes, on a background thread.
private final class PipeCollector: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var overflowed = false
    }

    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    init(_ descriptor: Int32, limit: Int, onOverflow: @escaping @Sendable () -> Void) {
        Thread.detachNewThread { [self] in
            drain(descriptor, limit: limit, onOverflow: onOverflow)
            done.signal()
        }
    }

    private func drain(_ descriptor: Int32, limit: Int, onOverflow: @Sendable () -> Void) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            let overflowed = state.withLock { state in
                state.bytes.append(contentsOf: chunk[..<count])
                if state.bytes.count > limit {
                    state.bytes.removeLast(state.bytes.count - limit)
                    state.overflowed = true
                }
                return state.overflowed
            }
            if overflowed {
                onOverflow()
                return
            }
        }
    }

    /// Whether the pipe ended (or hit its limit) before `deadline`.
    func wait(until deadline: DispatchTime) -> Bool {
        done.wait(timeout: deadline) == .success
    }

    var overflowed: Bool { state.withLock { $0.overflowed } }

    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
}
