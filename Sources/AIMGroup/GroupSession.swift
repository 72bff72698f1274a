import AIMCore
import Logging
import Synchronization

/// What the leader and a worker share: the members they talk to, the first loss, the heartbeats and the end.
final class GroupSession: Sendable {
    let settings: GroupSettings
    let clock: any Clock<Duration>
    let logger: Logger
    let peers = GroupPeers()
    let lost = OneShot<GroupLoss>()
    /// The background task that owns the connections.
    let work = Mutex<Task<Void, Never>?>(nil)
    /// This member is ending on purpose: connections it closes are no loss.
    let ending = Mutex(false)

    var isEnding: Bool { ending.withLock { $0 } }

    init(settings: GroupSettings, clock: any Clock<Duration>, logger: Logger) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// "sent nothing for N s (…)": the silence that counts as a loss.
    var silence: String {
        let seconds = settings.heartbeat.components.seconds * Int64(settings.silentBeatsLimit)
        return "sent nothing for \(seconds) s (AIM_HEALTH_INTERVAL_SECONDS × AIM_HEALTH_FAILURE_THRESHOLD)"
    }

    /// A beat to every peer each interval; `silent` hears of the peers quiet for too long.
    func keepAlive(silent: ([Int]) -> Bool) async {
        while (try? await clock.sleep(for: settings.heartbeat)) != nil {
            await peers.broadcast(.beat)
            let quiet = peers.tick(limit: settings.silentBeatsLimit)
            if !quiet.isEmpty, silent(quiet) { return }
        }
    }

    /// Tells every peer, within 2 s: one that does not read must not hold serve's exit.
    func tell(_ message: GroupMessage) async {
        let (peers, clock) = (peers, clock)
        _ = await Race.first(
            {
                await peers.broadcast(message)
                return true
            },
            { (try? await clock.sleep(for: .seconds(2))) == nil })
    }

    /// Tells the peers why this member ends, then closes everything.
    func end(ok: Bool, reason: String) async {
        ending.withLock { $0 = true }
        await tell(.end(ok: ok, reason: reason))
        peers.closeAll()
        if let task = work.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
    }
}
