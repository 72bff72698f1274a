import Foundation

/// One thread, alive for the launcher's whole life, that does every fork.
///
/// PR_SET_PDEATHSIG fires when the *thread* that forked the engine exits, not the process;
/// Dispatch and Swift concurrency retire idle threads, which would kill a healthy engine.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let lock = NSLock()
    private var job: (() -> Void)?
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                ready.wait()
                lock.lock()
                let work = job
                job = nil
                lock.unlock()
                work?()
            }
        }
        thread.name = "engine-spawner"
        thread.start()
    }

    /// Runs `body` on the spawner thread and returns its result.
    func run<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        lock.lock()
        job = {
            result = body()
            done.signal()
        }
        lock.unlock()
        ready.signal()
        done.wait()
        return result!
    }
}
