import CProcessControl
import Foundation
import Synchronization

/// Reaps every child of the launcher that nobody else waits for, so that no zombie stays: the
/// launcher is a child subreaper (and PID 1 in a container), so orphaned workers come to it.
///
/// The engine is Foundation's `Process`, which reaps it itself: the sweep peeks with
/// `waitid(WNOWAIT)` and never takes a managed child's status. SIGCHLD wakes it; nothing polls.
final class ChildReaper: Sendable {
    /// One per process: there is one SIGCHLD handler.
    static let shared = ChildReaper()

    private let managed = Mutex<Set<pid_t>>([])
    /// Notified after each sweep: something may have ended.
    let childEnded = WakeUps()

    private init() {
        aim_become_subreaper()
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // The handler must never block; the reading thread must.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        aim_notify_child_exits(ends[1])
        let readEnd = ends[0]
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 64)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count == 0 || (count < 0 && errno != EINTR) { return }
                sweep()
            }
        }
        thread.name = "child-reaper"
        thread.start()
        sweep()
    }

    /// Starts a child whose own waiter reaps it; the sweep cannot see it before it is registered.
    func spawn(_ start: () throws -> pid_t) throws -> pid_t {
        try managed.withLock { managed in
            let pid = try start()
            managed.insert(pid)
            return pid
        }
    }

    /// The managed child was reaped by its waiter: sweep what may have queued behind it.
    func released(_ pid: pid_t) {
        _ = managed.withLock { $0.remove(pid) }
        sweep()
    }

    /// Reaps ended children until none is left or the next one is managed.
    func sweep() {
        managed.withLock { managed in
            while true {
                var info = siginfo_t()
                guard waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return }
                let pid = info._sifields._sigchld.si_pid
                guard pid > 0, !managed.contains(pid) else { return }
                var status: Int32 = 0
                _ = waitpid(pid, &status, WNOHANG)
            }
        }
        childEnded.notify()
    }
}
