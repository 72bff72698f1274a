import Synchronization

/// Bytes moved so far, shared by every transfer of one model. Sums saturate: sizes come from servers.
public final class TransferProgress: Sendable {
    private let counts = Mutex<(done: Int64, total: Int64, fetched: Int64)>((0, 0, 0))

    public init() {}

    func expect(_ bytes: Int64) {
        counts.withLock { $0.total = Self.add($0.total, bytes) }
    }

    /// Bytes that arrived over the network now.
    func add(_ bytes: Int64) {
        counts.withLock {
            $0.done = Self.add($0.done, bytes)
            $0.fetched = Self.add($0.fetched, bytes)
        }
    }

    /// Bytes already on disk from an interrupted run: done, but not fetched now.
    func credit(_ bytes: Int64) {
        counts.withLock { $0.done = Self.add($0.done, bytes) }
    }

    public var snapshot: (done: Int64, total: Int64) {
        counts.withLock { ($0.done, $0.total) }
    }

    /// What this run fetched so far: the throughput the connection tuner measures.
    var fetched: Int64 { counts.withLock { $0.fetched } }

    private static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
