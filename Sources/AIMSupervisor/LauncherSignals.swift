import Foundation
import Synchronization

/// SIGTERM, SIGINT and SIGHUP for the whole launcher, taken by one thread with `sigwait`.
///
/// `takeOver()` blocks them on the main thread before any other thread exists, so every thread
/// inherits the mask and none can be surprised by them. The engine inherits the mask too: a stop
/// signal sent to it before its trampoline resets the mask stays pending, and is not lost.
/// Until the supervisor listens, a stop signal ends the launcher as it would by default.
public enum LauncherSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]
    private static let listener = Mutex<(@Sendable (Int32) -> Void)?>(nil)

    /// The source the supervisor listens to.
    public static let source: any StopSignalSource = Source()

    /// Call first in `main`, before anything starts a thread. The mask is set, not added to: a
    /// launcher started from a thread that blocks everything (a test runner's) must still get SIGCHLD.
    public static func takeOver() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_SETMASK, &set, nil)
        let waited = set
        let thread = Thread {
            var set = waited
            while true {
                var received: Int32 = 0
                guard sigwait(&set, &received) == 0 else { continue }
                deliver(received)
            }
        }
        thread.name = "stop-signals"
        thread.start()
    }

    private struct Source: StopSignalSource {
        func listen(_ handler: @escaping @Sendable (Int32) -> Void) {
            listener.withLock { $0 = handler }
        }
    }

    private static func deliver(_ signal: Int32) {
        if let listening = listener.withLock({ $0 }) {
            listening(signal)
            return
        }
        // Nobody supervises yet (detection, download): end as the signal would by default.
        Foundation.signal(signal, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signal)
    }
}
