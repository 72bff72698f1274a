/// How many connections a model's download uses: it starts with a few and multiplies them while the
/// aggregate throughput keeps rising by more than 10% a step, up to a cap; it stops growing at the first
/// step that does not pay, and halves at once when the server pushes back (429, 503, connection errors).
///
/// A CDN that caps each stream is beaten by more streams; a link that is already full is not, and more
/// streams would only add requests. Pure state, fed by `ParallelismTuner`'s samples.
struct AdaptiveParallelism: Equatable, Sendable {
    /// A step must raise throughput by this factor to count as paying.
    static let gain = 1.10
    /// Connections are multiplied by this at each paying step: 4, 16, 64 (capped at 32). Few steps matter,
    /// since each one costs a sampling interval at the lower count.
    static let step = 4

    let cap: Int
    private(set) var limit: Int
    /// The best throughput seen, in bytes a second.
    private(set) var best: Double = 0
    /// True once growing stopped: the cap, a step that did not pay, or push-back.
    private(set) var settled: Bool

    init(start: Int, cap: Int) {
        self.cap = max(1, cap)
        limit = min(max(1, start), self.cap)
        settled = limit >= self.cap
    }

    /// One sample of the aggregate throughput at the current limit.
    mutating func observe(bytesPerSecond throughput: Double) {
        // Nothing yet (a redirect, a TLS handshake, a long round trip): no verdict on this count.
        guard !settled, throughput.isFinite, best > 0 || throughput > 0 else { return }
        guard throughput > best * Self.gain else {
            settled = true
            return
        }
        best = throughput
        if limit < cap {
            limit = min(cap, limit * Self.step)
        } else {
            settled = true
        }
    }

    /// The server pushed back: half as many connections, and no more growth.
    mutating func congested() {
        limit = max(1, limit / 2)
        settled = true
    }
}
