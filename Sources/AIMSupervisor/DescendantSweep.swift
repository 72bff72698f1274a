import Foundation

/// Kills every process still descending from the launcher once the engine is gone.
///
/// Killing the engine's process group is not enough: a worker that called setsid() left the
/// group, and as a child subreaper the launcher inherits every orphan. Each round kills what
/// /proc shows below the launcher; the orphans of killed processes come to the launcher and
/// are reaped by its ChildReaper, so the next round sees them, until nothing is left.
enum DescendantSweep {
    /// Returns the descendants still present when `timeout` ran out (empty when all are gone).
    @discardableResult
    static func killAll(root: pid_t = getpid(), timeout: Double = 5, proc: String = "/proc") -> [ProcessTable.Entry] {
        // Without our own /proc, its pids are not ours to kill.
        guard ProcessTable.showsOwnNamespace(root: proc) else { return [] }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = ProcessTable.read(root: proc).descendants(of: root)
            if left.isEmpty || Date() >= deadline { return left }
            // Zombies are only waiting for the reaper; the living get SIGKILL (they may ignore SIGTERM).
            for entry in left where entry.state != "Z" {
                kill(entry.pid, SIGKILL)
            }
            usleep(20_000)
        }
    }
}
