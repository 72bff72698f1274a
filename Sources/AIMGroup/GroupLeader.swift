import AIMCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Rank 0's side: listens on AIM_GROUP_PORT, admits each worker that runs the same plan, starts the group
/// when all have joined, then watches them. The first worker lost ends the group.
public final class GroupLeader: GroupWatching {
    let session: GroupSession
    private let started = Mutex(false)
    /// Set when every worker has joined; replaced when one leaves before the start, so the wait goes on.
    private let complete = Mutex(OneShot<Bool>())

    var settings: GroupSettings { session.settings }
    var clock: any Clock<Duration> { session.clock }
    var logger: Logger { session.logger }
    var peers: GroupPeers { session.peers }

    init(settings: GroupSettings, clock: any Clock<Duration>, logger: Logger, port: Int) {
        session = GroupSession(settings: settings, clock: clock, logger: logger)
        self.port = port
    }

    /// Listens, waits until every worker has joined, then tells them to start. Throws `groupIncomplete` naming
    /// the ranks missing after the timeout.
    public static func gather(
        _ settings: GroupSettings, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "aim_runtime.group")
    ) async throws -> GroupLeader {
        let leader = try await listen(settings, clock: clock, logger: logger)
        try await leader.gather()
        return leader
    }

    /// The port the leader listens on (the setting's, or the one the system chose for port 0).
    public let port: Int

    /// Starts listening for the workers.
    static func listen(
        _ settings: GroupSettings, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "aim_runtime.group")
    ) async throws -> GroupLeader {
        let server = try await GroupListener.bind(port: settings.group.groupPort)
        let leader = GroupLeader(
            settings: settings, clock: clock, logger: logger,
            port: server.channel.localAddress?.port ?? settings.group.groupPort)
        leader.session.work.withLock { $0 = Task { await leader.run(server) } }
        return leader
    }

    /// Waits until every worker has joined, then tells them to start.
    func gather() async throws {
        let (leader, settings, logger, clock) = (self, settings, logger, clock)
        let workers = settings.group.size - 1
        logger.info(
            "Waiting for \(workers) worker\(workers == 1 ? "" : "s") to join on port \(port) (AIM_GROUP_TIMEOUT_SECONDS=\(settings.timeout.components.seconds))"
        )
        let waited = Stopwatch(clock)
        while true {
            // Cancelled (serve is ending): stop waiting, and listening, rather than loop.
            if Task.isCancelled {
                await leader.end(ok: false, reason: "the leader stopped waiting")
                throw CancellationError()
            }
            let remaining = settings.timeout - waited.elapsed()
            let complete = leader.complete.withLock { $0 }
            let joined =
                remaining > .zero
                ? await Race.first(
                    { await complete.value() ?? false },
                    { [clock] in
                        try? await clock.sleep(for: min(remaining, settings.progressInterval))
                        return false
                    }) : false
            if joined, leader.startIfComplete() { break }
            let missing = leader.missingRanks
            if waited.elapsed() >= settings.timeout {
                await leader.end(ok: false, reason: "the group did not assemble")
                throw AIMError(
                    .groupIncomplete,
                    "rank\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of the group of \(settings.group.size) did not join the leader on port \(leader.port) within AIM_GROUP_TIMEOUT_SECONDS=\(settings.timeout.components.seconds); check those pods' logs (each joins after its model is in its cache) and that they reach \(settings.leaderEndpoint)"
                )
            }
            if !joined {
                logger.info(
                    "Still waiting for rank\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) to join (\(waited.elapsed().components.seconds) s)"
                )
            }
        }
        await leader.peers.broadcast(.start)
        logger.info("All \(settings.group.size) nodes have joined; starting the engines")
    }

    var missingRanks: [Int] {
        let present = Set(peers.ranks)
        return (1..<settings.group.size).filter { !present.contains($0) }
    }

    /// Marks the group started if every worker is still here (one may have left since it completed).
    private func startIfComplete() -> Bool {
        started.withLock { started in
            guard missingRanks.isEmpty else { return false }
            started = true
            peers.heardFromAll()
            return true
        }
    }

    public func loss() async -> GroupLoss? {
        await session.lost.value()
    }

    public func end(ok: Bool, reason: String) async {
        await session.end(ok: ok, reason: reason)
    }

    private func run(_ server: GroupListener.Server) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await self.session.keepAlive { silent in
                    // Before the start a quiet worker is only waited for; after it, the group has failed.
                    guard self.started.withLock({ $0 }), let rank = silent.first else { return false }
                    self.memberLeft(rank, reason: self.session.silence)
                    return true
                }
            }
            group.addTask {
                try? await server.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { members in
                        for try await connection in connections {
                            members.addTask { await self.converse(connection) }
                        }
                    }
                }
            }
            // Ending the session (cancellation) closes the listener and every connection.
            await withTaskCancellationHandler {
                // The others hear why before their connections close.
                if let loss = await session.lost.value() {
                    await session.tell(.end(ok: false, reason: loss.reason))
                }
            } onCancel: {
                server.channel.close(promise: nil)
            }
            group.cancelAll()
        }
    }

    /// One worker's connection: its join, then its heartbeats until it ends.
    private func converse(_ connection: GroupListener.Connection) async {
        let channel = connection.channel
        let (clock, handshake) = (clock, settings.handshake)
        let timer = Task {
            guard (try? await clock.sleep(for: handshake)) != nil else { return }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let rank = Mutex<Int?>(nil)
        do {
            try await connection.executeThenClose { inbound, outbound in
                var lines = LineReader(inbound.makeAsyncIterator())
                guard let first = try await lines.next() else { return }
                let decision = admit(GroupMessage(line: first))
                guard case .success(let member) = decision else {
                    if case .failure(let refusal) = decision {
                        logger.warning("Refused a connection from \(Self.peer(channel)): \(refusal.reason)")
                        try? await outbound.write(
                            ByteBuffer(string: GroupMessage.refused(refusal.reason, refusal.kind).line))
                    }
                    return
                }
                peers.add(member, channel: channel, writer: outbound)
                timer.cancel()
                rank.withLock { $0 = member }
                logger.info("Rank \(member) joined from \(Self.peer(channel))")
                // Checked and set under one lock with the renewal on a leave: a worker leaving meanwhile
                // cannot leave the signal set while it is missing.
                complete.withLock { if missingRanks.isEmpty { $0.set(true) } }
                while let line = try await lines.next() {
                    switch GroupMessage(line: line) {
                    case .beat?: peers.heard(from: member)
                    case .end(_, let reason)?:
                        memberLeft(member, channel: channel, reason: "ended: \(reason)")
                        return
                    default: continue
                    }
                }
                memberLeft(member, channel: channel, reason: "closed its connection (its aim-runtime or pod ended)")
            }
        } catch {
            if let member = rank.withLock({ $0 }) {
                memberLeft(
                    member, channel: channel, reason: "lost its connection (\(GroupErrorText.describe(error)))")
            }
        }
    }

    struct Refusal: Error {
        let reason: String
        var kind = GroupMessage.Refusal.mismatch
    }

    /// Whether a join matches this group and plan.
    private func admit(_ message: GroupMessage?) -> Result<Int, Refusal> {
        guard case .join(let rank, let size, let profile, let model)? = message else {
            return .failure(Refusal(reason: "expected a join message from a worker's aim-runtime"))
        }
        let group = settings.group
        if started.withLock({ $0 }) {
            return .failure(
                Refusal(
                    reason: "the group has started without rank \(rank); it fails and is recreated as a whole",
                    kind: .started))
        }
        if size != group.size {
            return .failure(
                Refusal(
                    reason:
                        "rank \(rank) counts \(size) nodes, the leader \(group.size); give every node the same AIM_NODE_COUNT"
                ))
        }
        guard (1..<group.size).contains(rank) else {
            return .failure(
                Refusal(
                    reason: "rank \(rank) is not a worker rank of a group of \(group.size) (1 to \(group.size - 1))"))
        }
        if profile != settings.profileID || model != settings.modelID {
            return .failure(
                Refusal(
                    reason:
                        "rank \(rank) chose profile \(profile) for \(model), the leader \(settings.profileID) for \(settings.modelID); give every node the same settings and profiles"
                ))
        }
        return .success(rank)
    }

    /// A worker left: before the start it may join again; after, the group has failed.
    /// - Parameter channel: the connection that ended; nil for the rank's current one (a silent member).
    private func memberLeft(_ rank: Int, channel: (any Channel)? = nil, reason: String) {
        // Under the completion signal's lock, as a join's check is: the signal never stays set with a rank missing.
        let left = complete.withLock { signal -> Bool in
            var removed = true
            if let channel {
                removed = peers.remove(rank, channel: channel)
            } else {
                peers.remove(rank)
            }
            if removed && signal.current != nil && !started.withLock({ $0 }) { signal = OneShot() }
            return removed
        }
        // A rejoined worker's older connection ending is no news.
        guard left else { return }
        if session.isEnding { return }
        if started.withLock({ $0 }) {
            session.lost.set(GroupLoss(rank: rank, reason: "rank \(rank) \(reason)"))
        } else {
            logger.warning("Rank \(rank) left before the group started (\(reason)); waiting for it to join again")
        }
    }

    static func peer(_ channel: any Channel) -> String {
        channel.remoteAddress.map { "\($0.ipAddress ?? "?")" } ?? "an unknown address"
    }
}
