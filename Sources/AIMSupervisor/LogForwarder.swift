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

    private struct State {
        var lastLine = ""
        /// stderr's tail, shown in full when the engine ends abnormally.
        var stderrTail = Tail(length: LogForwarder.tailLength, lineLimit: LogForwarder.maximumLine)
        /// Longer tails of both streams, lines cut short, for the failure diagnosis: vLLM logs its error on
        /// stdout and then prints 60 lines of traceback on stderr, past the 50 shown.
        var stdoutDiagnosisTail = Tail(
            length: LogForwarder.diagnosisTailLength, lineLimit: LogForwarder.diagnosisLineLimit)
        var stderrDiagnosisTail = Tail(
            length: LogForwarder.diagnosisTailLength, lineLimit: LogForwarder.diagnosisLineLimit)
        var openStreams = 2
    }

    private let state = Mutex(State())
    static let tailLength = 50
    static let diagnosisTailLength = 100
    static let diagnosisLineLimit = 4 << 10
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
        state.withLock { $0.stdoutDiagnosisTail.withPartial + $0.stderrDiagnosisTail.withPartial }
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

    /// Keeps the last lines of a stream, looking only at the end of each chunk: a flood (vLLM logs on
    /// stderr, and prints on stdout) must cost no more than passing it through.
    private func keepTail(_ chunk: ArraySlice<UInt8>, stderr: Bool) {
        let newline = UInt8(ascii: "\n")
        var ends: [Int] = []
        var index = chunk.endIndex
        while ends.count <= Self.diagnosisTailLength,
            let found = chunk[chunk.startIndex..<index].lastIndex(of: newline)
        {
            ends.append(found)
            index = found
        }
        state.withLock { state in
            if stderr {
                Self.append(chunk, ends: ends, to: &state.stderrTail)
                Self.append(chunk, ends: ends, to: &state.stderrDiagnosisTail)
            } else {
                Self.append(chunk, ends: ends, to: &state.stdoutDiagnosisTail)
            }
        }
    }

    /// Adds the chunk's complete lines (`allEnds`: its last newlines, the last first) to `tail`.
    private static func append(_ chunk: ArraySlice<UInt8>, ends allEnds: [Int], to tail: inout Tail) {
        let (limit, length) = (tail.lineLimit, tail.length)
        let ends = Array(allEnds.prefix(length + 1))
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
