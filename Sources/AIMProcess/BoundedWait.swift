import Synchronization

/// Waits for a task's value, but no longer than a limit.
enum BoundedWait {
    /// The task's value, or nil when it has not finished within `limit`; the task then goes on by itself.
    static func value<T: Sendable>(of task: Task<T, Never>, within limit: Duration) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                once.resume(returning: nil)
            }
            Task {
                let value = await task.value
                timer.cancel()
                once.resume(returning: value)
            }
        }
    }
}

/// A continuation that the first of two racers resumes; the second finds it gone.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T?, Never>?>

    init(_ continuation: CheckedContinuation<T?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(returning value: T?) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
