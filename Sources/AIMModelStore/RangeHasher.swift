import Foundation
import Synchronization

/// Hashes a file while it downloads: ranges arrive in any order, and as soon as the next one in order is
/// on disk it is read back (from the page cache) and fed to the check. Hashing then overlaps the transfer
/// of later ranges instead of following it, so a fast link is not held up by one core's hashing speed.
final class RangeHasher: Sendable {
    private struct State {
        var arrived: Set<Int> = []
        var waiter: (index: Int, resume: CheckedContinuation<Bool, Never>)?
        var stopped = false
        var verdict: Bool?
        /// Time spent reading back and hashing, not waiting: the hashing rate's denominator.
        var busy: Duration = .zero
    }

    private let check: ContentCheck
    private let size: Int64
    private let ranges: [ClosedRange<Int64>]
    private let descriptor: Int32
    private let state = Mutex(State())
    static let blockBytes = 256 << 10

    /// - Parameter descriptor: the temporary file, open for reading (it is written with pwrite at offsets).
    init(check: ContentCheck, size: Int64, ranges: [ClosedRange<Int64>], descriptor: Int32) {
        self.check = check
        self.size = size
        self.ranges = ranges
        self.descriptor = descriptor
    }

    /// Whether the content matched, once every range was hashed; nil when hashing did not finish.
    var verdict: Bool? { state.withLock { $0.verdict } }

    /// Bytes a second hashed, while hashing (nil before the end).
    var rate: Double? {
        state.withLock { state in
            guard state.verdict != nil else { return nil }
            return Double(size) / max(state.busy / .seconds(1), 1e-6)
        }
    }

    /// Range `index` is on disk.
    func arrived(_ index: Int) {
        let waiting = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.arrived.insert(index)
            guard let waiter = state.waiter, waiter.index == index else { return nil }
            state.waiter = nil
            return waiter.resume
        }
        waiting?.resume(returning: true)
    }

    /// Hashes the ranges in order as they arrive; returns early, with no verdict, when cancelled.
    func run() async throws {
        var hasher = ContentHasher(check, size: size)
        // Allocated once the first range is there, and small: a model of hundreds of files has a hasher
        // waiting for each, and memory must stay flat whatever their number.
        var buffer: [UInt8] = []
        for (index, range) in ranges.enumerated() {
            guard await next(index) else { return }
            if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: Self.blockBytes) }
            let started = ContinuousClock.now
            defer { state.withLock { $0.busy += ContinuousClock.now - started } }
            var offset = range.lowerBound
            while offset <= range.upperBound {
                let count = Int(min(Int64(buffer.count), range.upperBound + 1 - offset))
                let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
                if read < 0 && errno == EINTR { continue }
                guard read > 0 else {
                    throw TransferFailure(.permanent, "cannot read back the downloaded range at byte \(offset)")
                }
                hasher.update(buffer[0..<read])
                offset += Int64(read)
            }
        }
        let matched = hasher.matches()
        state.withLock { $0.verdict = matched }
    }

    /// Waits until range `index` is on disk; false when the download was cancelled first.
    private func next(_ index: Int) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (resume: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state -> Bool? in
                    if state.stopped { return false }
                    if state.arrived.contains(index) { return true }
                    state.waiter = (index, resume)
                    return nil
                }
                if let answer { resume.resume(returning: answer) }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                state.stopped = true
                defer { state.waiter = nil }
                return state.waiter?.resume
            }
            waiting?.resume(returning: false)
        }
    }
}
