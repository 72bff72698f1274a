import Clocks
import Testing

@testable import AIMModelStore

/// The rule that decides how many connections a download uses, and the limiter that applies it.
@Suite struct DownloadParallelismTests {
    @Test func connectionsDoubleWhileThroughputRisesByMoreThanTenPercent() {
        // A CDN capping each stream at 25 MB/s: every doubling pays until the cap.
        var capped = AdaptiveParallelism(start: 4, cap: 32)
        for connections in [4, 8, 16, 32] {
            #expect(capped.limit == connections && !capped.settled)
            capped.observe(bytesPerSecond: Double(connections) * 25e6)
        }
        #expect(capped.limit == 32 && capped.settled)
        // A full link: the second step does not pay, and growth stops there.
        var full = AdaptiveParallelism(start: 4, cap: 32)
        full.observe(bytesPerSecond: 1.0e9)
        full.observe(bytesPerSecond: 1.05e9)
        #expect(full.limit == 8 && full.settled)
        full.observe(bytesPerSecond: 5e9)
        #expect(full.limit == 8, "settled stays settled")
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
        let limiter = ConnectionLimiter(start: 1, cap: 4)
        await limiter.acquire()
        let second = Task { await limiter.acquire() }
        try? await Task.sleep(for: .milliseconds(20))
        await limiter.observe(bytesPerSecond: 1e6)  // 1 → 2
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
