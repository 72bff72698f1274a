import Foundation
import Synchronization

/// One thread, alive for the launcher's whole life, that starts the engine.
///
/// PR_SET_PDEATHSIG fires when the *thread* that started the engine exits, not the process;
/// Dispatch and Swift concurrency retire idle threads, which would kill a healthy engine.
final class SpawnThread: Sendable {
    static let shared = SpawnThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let queued = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                queued.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
        thread.name = "engine-spawner"
        thread.start()
    }

    /// Runs `body` on the spawner thread; the caller's task is suspended, not blocked.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(with: Result { try body() }) } }
            queued.signal()
        }
    }
}
