import CSpawn
import Foundation

/// Reaps every child of the launcher, so that no zombie stays: the launcher is a child
/// subreaper (and PID 1 in a container), so orphaned workers of the engine come to it.
/// Records how watched processes ended.
final class ChildReaper: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [pid_t: Int32] = [:]

    init() {
        aim_become_subreaper()
        let thread = Thread { [self] in loop() }
        thread.name = "child-reaper"
        thread.start()
    }

    /// The exit code of `pid` once it has ended: its own code, or 128+N for signal N.
    func exitCode(of pid: pid_t) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return statuses[pid]
    }

    /// True only while `pid` runs: false once it has ended, even before this reaper has
    /// collected it (a zombie does not serve anything).
    func isRunning(_ pid: pid_t) -> Bool {
        guard exitCode(of: pid) == nil else { return false }
        var info = siginfo_t()
        // WNOWAIT leaves the child for the reaper's waitpid; ECHILD means it was just reaped.
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return false }
        return info._sifields._sigchld.si_pid == 0
    }

    func forget(_ pid: pid_t) {
        lock.lock()
        statuses[pid] = nil
        lock.unlock()
    }

    private func loop() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid > 0 {
                let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                lock.lock()
                statuses[pid] = code
                lock.unlock()
            } else if errno == ECHILD {
                usleep(50_000)
            }
        }
    }
}
