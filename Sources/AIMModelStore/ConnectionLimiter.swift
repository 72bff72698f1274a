import AIMCore
import Logging

/// Caps how many transfers run at once across all files of a model; the cap adapts to what the
/// server and the link give (`AdaptiveParallelism`).
actor ConnectionLimiter {
    private var parallelism: AdaptiveParallelism
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - start: connections to begin with (`AIM_DOWNLOAD_CONNECTIONS`);
    ///   - cap: the most it may grow to (`AIM_DOWNLOAD_MAX_CONNECTIONS`); equal to `start` for a fixed count.
    init(start: Int, cap: Int) {
        parallelism = AdaptiveParallelism(start: start, cap: cap)
    }

    init(limit: Int) {
        self.init(start: limit, cap: limit)
    }

    var limit: Int { parallelism.limit }
    var state: AdaptiveParallelism { parallelism }

    func acquire() async {
        if running < parallelism.limit && waiting.isEmpty {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        running -= 1
        admit()
    }

    func observe(bytesPerSecond: Double) {
        parallelism.observe(bytesPerSecond: bytesPerSecond)
        admit()
    }

    func congested() {
        parallelism.congested()
    }

    /// Lets waiting transfers start while there is room under the limit.
    private func admit() {
        while running < parallelism.limit, !waiting.isEmpty {
            running += 1
            waiting.removeFirst().resume()
        }
    }

    func withConnection<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}

/// Samples a download's aggregate throughput at a fixed interval and feeds it to the limiter, until
/// cancelled or the limiter has settled.
enum ParallelismTuner {
    static let interval: Duration = .milliseconds(200)

    /// Runs `body` (a model's transfers) with the tuner beside it, and says how many connections it came to.
    static func during<T: Sendable>(
        _ limiter: ConnectionLimiter, progress: TransferProgress, logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        let tuner = Task { await run(limiter, progress: progress) }
        defer { tuner.cancel() }
        let result = try await body()
        let state = await limiter.state
        logger.debug(
            "Connections: \(state.limit) of at most \(state.cap) (best \(ByteCount.text(DownloadReporter.byteCount(state.best)))/s)"
        )
        return result
    }

    static func run(
        _ limiter: ConnectionLimiter, progress: TransferProgress, clock: any Clock<Duration> = ContinuousClock(),
        interval: Duration = interval
    ) async {
        var last = progress.fetched
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        while !Task.isCancelled, await !limiter.state.settled {
            do { try await clock.sleep(for: interval) } catch { return }
            let done = progress.fetched
            await limiter.observe(bytesPerSecond: Double(done - last) / seconds)
            last = done
        }
    }
}
