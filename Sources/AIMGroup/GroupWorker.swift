import AIMCore
import Logging
import NIOCore
import Synchronization

/// A worker's side: reaches the leader's aim-runtime (retrying while the leader downloads or starts),
/// joins with its rank and plan, waits for the start, then watches the leader. The leader lost, or
/// ending the group, ends this node too.
public final class GroupWorker: GroupWatching {
    let session: GroupSession

    var settings: GroupSettings { session.settings }
    var clock: any Clock<Duration> { session.clock }
    var logger: Logger { session.logger }
    var peers: GroupPeers { session.peers }

    /// How one connection to the leader went before the start.
    enum Answer: Sendable {
        case start
        case refused(String, GroupMessage.Refusal)
        /// Closed before answering (the leader restarted, or is not ready): try again.
        case closed(String)
    }

    init(settings: GroupSettings, clock: any Clock<Duration>, logger: Logger) {
        session = GroupSession(settings: settings, clock: clock, logger: logger)
    }

    /// Joins the leader and returns once it says start. Throws `groupIncomplete` when the leader cannot be
    /// reached within the timeout, or `configuration` when it refuses this node.
    public static func join(
        _ settings: GroupSettings, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "aim_runtime.group")
    ) async throws -> GroupWorker {
        let worker = GroupWorker(settings: settings, clock: clock, logger: logger)
        let waited = Stopwatch(clock)
        var lastReport = Duration.zero
        var problem = "not tried"
        logger.info("Joining the leader at \(settings.leaderEndpoint) as rank \(settings.group.rank)")
        while waited.elapsed() < settings.timeout {
            switch await worker.attempt(within: settings.timeout - waited.elapsed()) {
            case .start:
                logger.info("The group has started: starting this node's engine (rank \(settings.group.rank))")
                return worker
            case .refused(let reason, .mismatch):
                throw AIMError.configuration(
                    "the group's leader at \(settings.leaderEndpoint) refused this node: \(reason)")
            case .refused(let reason, .started):
                throw AIMError(
                    .groupMemberLost, "the group's leader at \(settings.leaderEndpoint) refused this node: \(reason)")
            case .closed(let reason):
                problem = reason
            }
            if waited.elapsed() - lastReport >= settings.progressInterval {
                lastReport = waited.elapsed()
                logger.info(
                    "Waiting for the leader at \(settings.leaderEndpoint) (\(waited.elapsed().components.seconds) s): \(problem)"
                )
            }
            guard (try? await clock.sleep(for: settings.retry)) != nil else { break }
        }
        throw AIMError(
            .groupIncomplete,
            "the group's leader at \(settings.leaderEndpoint) did not start the group within AIM_GROUP_TIMEOUT_SECONDS=\(settings.timeout.components.seconds) (last: \(problem)); check the leader pod's log and that this node reaches it"
        )
    }

    /// One connection: join, and on `start` keep it as the group's link in the background. The leader's answer
    /// is awaited no longer than the time left: a leader that went dark before the start sends nothing.
    private func attempt(within remaining: Duration) async -> Answer {
        let connection: GroupListener.Connection
        do {
            connection = try await GroupListener.connect(
                host: settings.group.leaderAddress, port: settings.group.groupPort, timeout: .seconds(5))
        } catch {
            return .closed(GroupErrorText.describe(error))
        }
        let answer = OneShot<Answer>()
        let task = Task { await self.converse(connection, answer: answer) }
        let result = await Race.first(
            { await answer.value() ?? .closed("cancelled") },
            { [clock] in
                try? await clock.sleep(for: max(remaining, .zero))
                return .closed("no start from the leader in the time left")
            })
        if case .start = result {
            session.work.withLock { $0 = task }
        } else {
            connection.channel.close(promise: nil)
            task.cancel()
            await task.value
        }
        return result
    }

    private func converse(_ connection: GroupListener.Connection, answer: OneShot<Answer>) async {
        let channel = connection.channel
        let group = settings.group
        do {
            try await connection.executeThenClose { inbound, outbound in
                let join = GroupMessage.join(
                    rank: group.rank, size: group.size, profile: settings.profileID, model: settings.modelID)
                try await outbound.write(ByteBuffer(string: join.line))
                var lines = LineReader(inbound.makeAsyncIterator())
                while let line = try await lines.next() {
                    switch GroupMessage(line: line) {
                    case .start?:
                        peers.add(0, channel: channel, writer: outbound)
                        answer.set(.start)
                        try await watch(&lines)
                        return
                    case .refused(let reason, let kind)?:
                        answer.set(.refused(reason, kind))
                        return
                    case .end(_, let reason)?:
                        answer.set(.closed("the leader ended: \(reason)"))
                        return
                    default: continue
                    }
                }
                answer.set(.closed("the leader closed the connection before the group started"))
            }
        } catch {
            answer.set(.closed(GroupErrorText.describe(error)))
            leaderLost("lost its connection (\(GroupErrorText.describe(error)))")
        }
        // Cancelled while waiting: nothing more to report.
        answer.set(.closed("cancelled"))
    }

    /// After the start: heartbeats both ways until the leader ends or goes quiet.
    private func watch(_ lines: inout LineReader<NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator>) async throws {
        let beats = Task {
            await session.keepAlive { _ in
                leaderLost(session.silence)
                peers.closeAll()
                return true
            }
        }
        defer { beats.cancel() }
        while let line = try await lines.next() {
            switch GroupMessage(line: line) {
            case .beat?: peers.heard(from: 0)
            case .end(let ok, let reason)?:
                session.lost.set(GroupLoss(rank: 0, reason: "the leader ended the group: \(reason)", orderly: ok))
                return
            default: continue
            }
        }
        leaderLost("closed its connection (its aim-runtime or pod ended)")
    }

    private func leaderLost(_ reason: String) {
        guard !peers.ranks.isEmpty, !session.isEnding else { return }
        session.lost.set(GroupLoss(rank: 0, reason: "the leader (rank 0) \(reason)"))
    }

    public func loss() async -> GroupLoss? {
        await session.lost.value()
    }

    public func end(ok: Bool, reason: String) async {
        await session.end(ok: ok, reason: "rank \(settings.group.rank) \(reason)")
    }
}
