import Clocks
import Crypto
import Foundation
import Testing

@testable import AIMModelStore

/// The rule that decides how many connections a download uses, and the limiter that applies it.
@Suite struct DownloadParallelismTests {
    @Test func connectionsGrowWhileThroughputRisesByMoreThanTenPercent() {
        // A CDN capping each stream at 25 MB/s: every step pays until the cap.
        var capped = AdaptiveParallelism(start: 4, cap: 32)
        for connections in [4, 16, 32] {
            #expect(capped.limit == connections && !capped.settled)
            capped.observe(bytesPerSecond: Double(connections) * 25e6)
        }
        #expect(capped.limit == 32 && capped.settled)
        // A full link: the second step does not pay, and growth stops there.
        var full = AdaptiveParallelism(start: 4, cap: 32)
        full.observe(bytesPerSecond: 1.0e9)
        full.observe(bytesPerSecond: 1.05e9)
        #expect(full.limit == 16 && full.settled)
        full.observe(bytesPerSecond: 5e9)
        #expect(full.limit == 16, "settled stays settled")
    }

    /// No byte in the first sample (a redirect, a handshake, a long round trip) is no verdict on the count.
    @Test func anEmptyFirstSampleDoesNotSettle() {
        var parallelism = AdaptiveParallelism(start: 4, cap: 32)
        parallelism.observe(bytesPerSecond: 0)
        #expect(parallelism.limit == 4 && !parallelism.settled)
        parallelism.observe(bytesPerSecond: 100e6)
        #expect(parallelism.limit == 16)
    }

    @Test func pushBackHalvesAndStopsGrowth() {
        var parallelism = AdaptiveParallelism(start: 16, cap: 32)
        parallelism.congested()
        #expect(parallelism.limit == 8 && parallelism.settled)
        var one = AdaptiveParallelism(start: 1, cap: 1)
        one.congested()
        #expect(one.limit == 1 && one.settled)
        #expect(AdaptiveParallelism(start: 64, cap: 32).limit == 32)
        #expect(AdaptiveParallelism(start: 0, cap: 0).limit == 1)
        var nan = AdaptiveParallelism(start: 4, cap: 32)
        nan.observe(bytesPerSecond: .nan)
        #expect(nan.limit == 4 && !nan.settled)
    }

    /// Waiting transfers start as soon as the limit grows; a lower limit lets running ones finish.
    @Test func theLimiterAdmitsWaitersWhenTheLimitGrows() async {
        let limiter = ConnectionLimiter(start: 1, cap: 2)
        await limiter.acquire()
        let second = Task { await limiter.acquire() }
        try? await Task.sleep(for: .milliseconds(20))
        await limiter.observe(bytesPerSecond: 1e6)  // 1 → 2, the cap
        await second.value
        #expect(await limiter.limit == 2)
        await limiter.congested()  // 2 → 1 while two run
        await limiter.release()
        let third = Task {
            await limiter.acquire()
            return true
        }
        try? await Task.sleep(for: .milliseconds(20))
        await limiter.release()
        #expect(await third.value)
    }

    /// The tuner samples on its clock and stops once the limiter has settled.
    @Test func theTunerFeedsSamplesOnItsClock() async {
        let clock = TestClock()
        let limiter = ConnectionLimiter(start: 2, cap: 4)
        let progress = TransferProgress()
        let tuner = Task { await ParallelismTuner.run(limiter, progress: progress, clock: clock) }
        // Let the tuner reach its sleep before bytes move and time passes.
        func settle() async { for _ in 0..<50 { await Task.yield() } }
        await settle()
        progress.add(600_000)
        await clock.advance(by: .milliseconds(300))  // 2 MB/s: 2 → 4, the cap
        await settle()
        progress.add(1_200_000)
        await clock.advance(by: .milliseconds(300))
        await tuner.value
        #expect(await limiter.limit == 4)
        #expect(await limiter.state.settled)
    }
}

/// Hashing overlaps the transfer: ranges arrive in any order and are hashed in order as they can be.
@Suite struct RangeHasherTests {
    func file(_ bytes: [UInt8]) throws -> (path: String, descriptor: Int32) {
        let path = NSTemporaryDirectory() + "range-hasher-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return (path, open(path, O_RDONLY))
    }

    @Test func rangesArrivingOutOfOrderAreHashedInOrder() async throws {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let (path, descriptor) = try file(bytes)
        defer {
            close(descriptor)
            unlink(path)
        }
        let ranges = FileTransfer.chunks(size: 10_000, chunkSize: 3_000)
        let digest = SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
        for (check, expected) in [
            (ContentCheck.sha256(digest), true), (.sha256(String(repeating: "0", count: 64)), false),
        ] {
            let hasher = RangeHasher(check: check, size: 10_000, ranges: ranges, descriptor: descriptor)
            let run = Task { try await hasher.run() }
            for index in ranges.indices.reversed() { hasher.arrived(index) }
            try await run.value
            #expect(hasher.verdict == expected)
            #expect((hasher.rate ?? 0) > 0)
        }
    }

    @Test func aCancelledDownloadLeavesNoVerdict() async throws {
        let (path, descriptor) = try file([1, 2, 3, 4])
        defer {
            close(descriptor)
            unlink(path)
        }
        let hasher = RangeHasher(
            check: .sha256(String(repeating: "0", count: 64)), size: 4, ranges: [0...1, 2...3], descriptor: descriptor)
        let run = Task { try await hasher.run() }
        hasher.arrived(1)
        run.cancel()
        try await run.value
        #expect(hasher.verdict == nil)
    }
}

/// A journal of finished ranges means nothing with another range size: it is started afresh.
@Suite struct ChunkJournalTests {
    @Test func aJournalOfAnotherRangeSizeIsDiscarded() throws {
        let path = NSTemporaryDirectory() + "journal-\(UUID().uuidString)"
        defer { unlink(path) }
        let journal = ChunkJournal(path: path, chunkBytes: 8 << 20)
        journal.markCompleted(2)
        journal.markCompleted(5)
        #expect(journal.completed() == [2, 5])
        #expect(ChunkJournal(path: path, chunkBytes: 64 << 20).completed().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path), "the stale journal is removed")
        // An older version's journal: indices without the size line.
        try "0\n1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(journal.completed().isEmpty)
    }
}
