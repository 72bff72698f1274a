import AIMCore
import Foundation
import OrderedCollections
import Synchronization

/// Forwards the engine's stdout and stderr, each on a dedicated thread with blocking
/// reads, so a fast engine is never slowed and a last line without a newline is kept.
///
/// Text mode passes the bytes through unchanged; JSON mode wraps each line as an object
/// (time, level, logger `engine`, message, stream, pid).
final class LogForwarder: Sendable {
    /// The last lines of one stream, and the start of the line it is writing.
    private struct Tail {
        var lines: [String] = []
        var partial: [UInt8] = []
        /// How many lines are kept.
        let length: Int
        /// Longer lines are cut to this many bytes.
        let lineLimit: Int

        var withPartial: [String] {
            partial.isEmpty ? lines : Array((lines + [String(decoding: partial, as: UTF8.self)]).suffix(length))
        }
    }

    /// The last bytes of a stream, split into lines only when a diagnosis reads them: while the engine
    /// writes, keeping them costs one copy of each chunk's end, however many lines it holds.
    private struct ByteWindow {
        var bytes: [UInt8] = []
        let limit: Int

        mutating func append(_ chunk: ArraySlice<UInt8>) {
            bytes.append(contentsOf: chunk.suffix(limit))
            // Trimmed only past twice the limit, so that the copy is paid once per `limit` bytes.
            if bytes.count > 2 * limit { bytes.removeFirst(bytes.count - limit) }
        }

        /// The last `count` lines (the oldest may begin mid-line), each cut to `lineLimit` bytes.
        func lines(last count: Int, lineLimit: Int) -> [String] {
            let window = bytes.suffix(limit)
            var lines = window.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if window.last == UInt8(ascii: "\n") { lines.removeLast() }
            return lines.suffix(count).map { String(decoding: $0.prefix(lineLimit), as: UTF8.self) }
        }
    }

    private struct State {
        var lastLine = ""
        /// stderr's tail, shown in full when the engine ends abnormally.
        var stderrTail = Tail(length: LogForwarder.tailLength, lineLimit: LogForwarder.maximumLine)
        /// Longer tails of both streams for the failure diagnosis: vLLM 0.32 logs its error on stdout and
        /// then prints 60 lines of traceback on stderr, past the 50 shown.
        var stdoutWindow = ByteWindow(limit: LogForwarder.diagnosisWindow)
        var stderrWindow = ByteWindow(limit: LogForwarder.diagnosisWindow)
        var openStreams = 2
    }

    private let state = Mutex(State())
    static let tailLength = 50
    /// The diagnosis reads at most this many lines of each stream, each cut to `diagnosisLineLimit` bytes,
    /// from the stream's last `diagnosisWindow` bytes.
    static let diagnosisTailLength = 100
    static let diagnosisLineLimit = 4 << 10
    static let diagnosisWindow = 128 << 10
    /// JSON mode splits longer lines into several records rather than buffering without end.
    static let maximumLine = 64 << 10
    /// Each write of the engine: news worth a health probe.
    let activity = WakeUps()
    /// Set once both streams reached end of file (the engine's group closed them).
    let drained = OneShot<Void>()

    init(stdout: FileHandle, stderr: FileHandle, pid: pid_t, format: LogOutputFormat) {
        for (source, destination, name) in [(stdout, STDOUT_FILENO, "stdout"), (stderr, STDERR_FILENO, "stderr")] {
            let thread = Thread { [self] in
                pump(from: source.fileDescriptor, to: destination, stream: name, pid: pid, format: format)
                try? source.close()
                if state.withLock({ state in
                    state.openStreams -= 1
                    return state.openStreams == 0
                }) {
                    drained.set(())
                }
            }
            thread.name = "engine-\(name)"
            thread.start()
        }
    }

    /// The engine's most recent complete or partial line, for progress messages.
    var latestLine: String {
        state.withLock { $0.lastLine }
    }

    /// The last lines the engine wrote to stderr (a final line without a newline included).
    var recentErrors: [String] {
        state.withLock { $0.stderrTail.withPartial }
    }

    /// The last 100 lines of stdout, then the last 100 of stderr, each cut to 4 KiB: what the diagnosis reads.
    var diagnosisLines: [String] {
        let (stdout, stderr) = state.withLock { ($0.stdoutWindow.bytes, $0.stderrWindow.bytes) }
        let (window, count, limit) = (Self.diagnosisWindow, Self.diagnosisTailLength, Self.diagnosisLineLimit)
        return ByteWindow(bytes: stdout, limit: window).lines(last: count, lineLimit: limit)
            + ByteWindow(bytes: stderr, limit: window).lines(last: count, lineLimit: limit)
    }

    private func pump(from source: Int32, to destination: Int32, stream: String, pid: pid_t, format: LogOutputFormat) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let chunk = buffer[0..<count]
            activity.notify()
            keepTail(chunk, stderr: stream == "stderr")
            switch format {
            case .text:
                writeAll(Array(chunk), to: destination)
                remember(chunk)
            case .json:
                pending.append(contentsOf: chunk)
                // One pass over the buffer, then one compaction: removing each line in turn is quadratic.
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    emit(Array(pending[start..<newline]), stream: stream, pid: pid, to: destination)
                    start = newline + 1
                }
                while pending.count - start > Self.maximumLine {
                    emit(Array(pending[start..<start + Self.maximumLine]), stream: stream, pid: pid, to: destination)
                    start += Self.maximumLine
                }
                pending.removeFirst(start)
            }
        }
        if format == .json && !pending.isEmpty {
            emit(pending, stream: stream, pid: pid, to: destination)
        }
    }

    /// Keeps the last lines of stderr (looking only at the end of each chunk) and the last bytes of both
    /// streams: a flood (vLLM logs on stderr, and prints on stdout) must cost no more than passing it through.
    private func keepTail(_ chunk: ArraySlice<UInt8>, stderr: Bool) {
        guard stderr else {
            state.withLock { $0.stdoutWindow.append(chunk) }
            return
        }
        let newline = UInt8(ascii: "\n")
        var ends: [Int] = []
        var index = chunk.endIndex
        while ends.count <= Self.tailLength, let found = chunk[chunk.startIndex..<index].lastIndex(of: newline) {
            ends.append(found)
            index = found
        }
        state.withLock { state in
            Self.append(chunk, ends: ends, to: &state.stderrTail)
            state.stderrWindow.append(chunk)
        }
    }

    /// Adds the chunk's complete lines (`ends`: its last newlines, the last first) to `tail`.
    private static func append(_ chunk: ArraySlice<UInt8>, ends: [Int], to tail: inout Tail) {
        let (limit, length) = (tail.lineLimit, tail.length)
        guard let last = ends.first else {
            tail.partial.append(contentsOf: chunk.suffix(limit))
            if tail.partial.count > limit {
                tail.partial.removeFirst(tail.partial.count - limit)
            }
            return
        }
        var lines: [String] = []
        for (position, end) in ends.enumerated().reversed() {
            if position == ends.count - 1 {
                // The first newline found closes the line that began in an earlier chunk.
                guard ends.count <= length else { continue }
                let line = (tail.partial + chunk[chunk.startIndex..<end]).prefix(limit)
                lines.append(String(decoding: line, as: UTF8.self))
            } else {
                lines.append(String(decoding: chunk[(ends[position + 1] + 1)..<end].prefix(limit), as: UTF8.self))
            }
        }
        tail.lines = Array((tail.lines + lines).suffix(length))
        tail.partial = Array(chunk[(last + 1)...].suffix(limit))
    }

    private func remember(_ chunk: ArraySlice<UInt8>) {
        let newline = UInt8(ascii: "\n")
        var end = chunk.endIndex
        while end > chunk.startIndex, chunk[end - 1] == newline { end -= 1 }
        guard end > chunk.startIndex else { return }
        let start = chunk[chunk.startIndex..<end].lastIndex(of: newline).map { $0 + 1 } ?? chunk.startIndex
        let line = String(decoding: chunk[start..<end], as: UTF8.self)
        state.withLock { $0.lastLine = line }
    }

    private func emit(_ line: [UInt8], stream: String, pid: pid_t, to destination: Int32) {
        let message = String(decoding: line, as: UTF8.self)
        state.withLock { $0.lastLine = message }
        let record: StructuredValue = .mapping([
            "time": .string(StandardErrorLogHandler.utcTimestamp()),
            "level": .string(EngineLogLevel.parse(message)),
            "logger": .string("engine"),
            "message": .string(message),
            "stream": .string(stream),
            "pid": .int(Int(pid)),
        ])
        writeAll(Array((JSONWriter.write(record) + "\n").utf8), to: destination)
    }

    private func writeAll(_ bytes: [UInt8], to destination: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(destination, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Reads the level from vLLM's (`INFO 11-24 10:00:00 …`, `(EngineCore pid=1) WARNING …`) and
/// SGLang's (`[2025-11-24 10:00:00] INFO …`) line prefixes.
enum EngineLogLevel {
    static func parse(_ line: String) -> String {
        for level in ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] {
            if let range = line.range(of: level), line.distance(from: line.startIndex, to: range.lowerBound) < 48 {
                return level
            }
        }
        return "INFO"
    }
}
