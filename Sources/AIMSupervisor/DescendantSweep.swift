import AIMCore
import Foundation

/// Kills every process still descending from the launcher once the engine is gone.
///
/// Killing the engine's process group is not enough: a worker that called setsid() left the
/// group, and as a child subreaper the launcher inherits every orphan. Each round kills what
/// /proc shows below the launcher; the orphans of killed processes come to the launcher and
/// are reaped by its ChildReaper, so the next round sees them, until nothing is left.
enum DescendantSweep {
    /// Returns the descendants still present when `timeout` ran out (empty when all are gone).
    /// Each round waits for the next SIGCHLD (`childEnded`), or 100 ms for a death that no SIGCHLD to
    /// the launcher tells of (a descendant reaping its own child).
    @discardableResult
    static func killAll(
        root: pid_t = getpid(), timeout: Duration = .seconds(5), proc: String = "/proc", childEnded: WakeUps
    ) async -> [ProcessTable.Entry] {
        // Without our own /proc, its pids are not ours to kill.
        guard ProcessTable.showsOwnNamespace(root: proc) else { return [] }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let seen = childEnded.generation
            let left = ProcessTable.read(root: proc).descendants(of: root)
            if left.isEmpty || clock.now >= deadline { return left }
            // Zombies are only waiting for the reaper; the living get SIGKILL (they may ignore SIGTERM).
            for entry in left where entry.state != "Z" {
                kill(entry.pid, SIGKILL)
            }
            _ = await Race.first(
                {
                    await childEnded.wait(after: seen)
                    return true
                },
                { (try? await clock.sleep(for: .milliseconds(100))) != nil })
        }
    }
}
