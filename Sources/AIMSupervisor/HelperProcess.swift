import CSpawn
import Foundation

/// Runs a short helper program (such as the vLLM feature probe) with a time limit and a
/// cap on the output kept, so a hung or chatty interpreter cannot hang `serve`.
///
/// The helper leads its own process group (as the engine does); when time runs out or the
/// output passes the cap, the whole group gets SIGKILL. Runs before the supervisor's
/// ChildReaper exists, so it reaps its own child.
public enum HelperProcess {
    public struct Outcome: Equatable, Sendable {
        /// The exit code (128+N after signal N), nil if the helper could not be reaped in time.
        public var status: Int32?
        /// At most `outputLimit` bytes of stdout.
        public var output: String
        public var timedOut: Bool
        public var outputCut: Bool

        public init(status: Int32?, output: String, timedOut: Bool, outputCut: Bool) {
            self.status = status
            self.output = output
            self.timedOut = timedOut
            self.outputCut = outputCut
        }
    }

    /// Runs `executable` with stdin and stderr on /dev/null; nil when it cannot start.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           timeout: Double, outputLimit: Int = 64 << 10) -> Outcome? {
        var pipe: [Int32] = [0, 0]
        guard aim_pipe(&pipe) == 0 else { return nil }
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        let arguments = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        // This thread waits below until the helper is gone, so its PDEATHSIG cannot fire early.
        var error: Int32 = 0
        let pid = aim_spawn(executable, arguments, variables, pipe[1], null, &error)
        close(pipe[1])
        if null >= 0 { close(null) }
        defer { close(pipe[0]) }
        guard pid > 0 else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        let (output, timedOut, cut) = collect(pipe[0], until: deadline, limit: outputLimit)
        if timedOut || cut { kill(-pid, SIGKILL) }
        // After SIGKILL the helper ends at once unless stuck in the kernel: then give up on it.
        let waitMilliseconds = timedOut || cut ? 2000 : Int32(clamping: Int(max(0, deadline.timeIntervalSinceNow) * 1000) + 1)
        var raw: Int32 = 0
        var status: Int32?
        switch aim_wait_child(pid, Int32(waitMilliseconds), &raw) {
        case 1: status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        default:
            // Still running with its stdout closed: out of time now.
            kill(-pid, SIGKILL)
            if aim_wait_child(pid, 2000, &raw) == 1 { status = 128 + SIGKILL }
            return Outcome(status: status, output: String(decoding: output, as: UTF8.self), timedOut: true, outputCut: cut)
        }
        return Outcome(status: status, output: String(decoding: output, as: UTF8.self), timedOut: timedOut, outputCut: cut)
    }

    /// Reads until end of file, the deadline, or `limit` bytes.
    private static func collect(_ descriptor: Int32, until deadline: Date, limit: Int) -> ([UInt8], timedOut: Bool, cut: Bool) {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return (output, true, false) }
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, Int32(clamping: Int(remaining * 1000) + 1))
            if polled < 0 && errno != EINTR { return (output, false, false) }
            if polled <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { return (output, false, false) }
            output.append(contentsOf: buffer[0..<min(count, limit - output.count)])
            if output.count >= limit { return (output, false, true) }
        }
    }
}
