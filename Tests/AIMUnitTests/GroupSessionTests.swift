import AIMCore
import AIMEngine
import AIMTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import AIMGroup

/// The group's own protocol, over loopback in-process: join, start, heartbeats, losses and hostile peers.
@Suite struct GroupSessionTests {
    func settings(
        rank: Int, port: Int, size: Int = 2, model: String = "org/model", timeout: Duration = .seconds(120),
        heartbeat: Duration = .seconds(5)
    )
        -> GroupSettings
    {
        var settings = GroupSettings(
            group: NodeGroup(size: size, rank: rank, leaderAddress: "127.0.0.1", masterPort: 1, groupPort: port),
            profileID: "general/p", modelID: model, timeout: timeout, heartbeat: heartbeat, silentBeatsLimit: 3
        )
        settings.retry = .milliseconds(50)
        return settings
    }

    /// A leader listening on a port the system chose (a port picked in advance may be taken meanwhile by
    /// another test's connection), gathering in the background.
    func leader(
        size: Int = 2, timeout: Duration = .seconds(120), heartbeat: Duration = .seconds(5)
    ) async throws -> (leader: GroupLeader, gathering: Task<Void, any Error>) {
        let leader = try await GroupLeader.listen(
            settings(rank: 0, port: 0, size: size, timeout: timeout, heartbeat: heartbeat))
        return (leader, Task { try await leader.gather() })
    }

    @Test func messagesRoundTripAndAnythingElseIsNoMessage() {
        for message in [
            GroupMessage.join(rank: 1, size: 2, profile: "p", model: "m"), .start, .refused("why", .mismatch),
            .refused("late", .started), .beat,
            .end(ok: false, reason: "r"),
        ] {
            #expect(GroupMessage(line: String(message.line.dropLast())) == message)
        }
        for line in [
            "", "{}", "[1]", #"{"aim_group": 2, "type": "beat"}"#, #"{"aim_group": 1, "type": "dance"}"#,
            #"{"aim_group": 1, "type": "join", "rank": "1", "size": 2, "profile": "p", "model": "m"}"#,
            #"{"aim_group": 1, "type": "end", "reason": "r"}"#, String(repeating: "x", count: 5000),
        ] {
            #expect(GroupMessage(line: line) == nil, "\(line.prefix(60))")
        }
        // A reason reaches the log: control characters are escaped, and it is cut to 512 characters.
        let hostile = GroupMessage(
            line: #"{"aim_group": 1, "type": "refused", "reason": "a\u001b[2Jb"# + String(repeating: "y", count: 900)
                + #""}"#)
        guard case .refused(let reason, .mismatch)? = hostile else {
            Issue.record("not parsed")
            return
        }
        #expect(!reason.unicodeScalars.contains("\u{1b}") && reason.count < 600)
        // What is written stays within the line limit the reader enforces, even where each character of a
        // stranger's join, quoted in the refusal, is written as \uXXXX.
        let wide = GroupMessage.refused(
            "rank 1 chose profile \(String(repeating: "é", count: 512)) for \(String(repeating: "😀", count: 512))",
            .mismatch)
        #expect(wide.line.utf8.count <= GroupMessage.maxLineBytes + 1)
        guard case .refused(let shortened, .mismatch)? = GroupMessage(line: String(wide.line.dropLast())) else {
            Issue.record("the shortened refusal does not read back")
            return
        }
        #expect(shortened.hasPrefix("rank 1 chose profile éé"))
    }

    @Test func aWorkerJoinsThenTheLeaderHearsWhyItLeft() async throws {
        let (gathered, gathering) = try await leader()
        let port = gathered.port
        let worker = try await GroupWorker.join(settings(rank: 1, port: port))
        try await gathering.value
        await worker.end(ok: false, reason: "ended with exit code 1")
        let loss = await gathered.loss()
        #expect(loss?.rank == 1 && loss?.orderly == false)
        #expect(loss?.reason.contains("rank 1 ended: rank 1 ended with exit code 1") == true, "\(loss?.reason ?? "")")
        await gathered.end(ok: false, reason: "done")
    }

    @Test func aLeaderAskedToStopEndsTheGroupOrderly() async throws {
        // Beats every 5 s: a loaded machine (the whole suite on 2 cores) can starve quicker ones.
        let (gathered, gathering) = try await leader()
        let worker = try await GroupWorker.join(settings(rank: 1, port: gathered.port))
        try await gathering.value
        try await Task.sleep(for: .milliseconds(1500))
        await gathered.end(ok: true, reason: "stopped")
        let loss = await worker.loss()
        #expect(loss?.orderly == true && loss?.reason == "the leader ended the group: stopped", "\(loss?.reason ?? "")")
        await worker.end(ok: true, reason: "stopped")
    }

    @Test func aLeaderAloneNamesTheMissingRanks() async throws {
        let (lone, gathering) = try await leader(size: 3, timeout: .seconds(1))
        let port = lone.port
        await #expect {
            try await gathering.value
        } throws: { error in
            guard let error = error as? AIMError else { return false }
            return error.status == .groupIncomplete
                && error.message.contains("ranks 1, 2 of the group of 3 did not join the leader on port \(port)")
        }
    }

    @Test func aStrangerIsRefusedAndGarbageIsCutOff() async throws {
        let (listening, gathering) = try await leader(size: 3)
        let port = listening.port
        await #expect {
            _ = try await GroupWorker.join(settings(rank: 1, port: port, size: 3, model: "org/other"))
        } throws: { error in
            (error as? AIMError)?.message.contains("rank 1 chose profile general/p for org/other") == true
        }
        // Garbage and an endless line are cut off; the leader keeps waiting.
        for payload in ["GET / HTTP/1.1\r\n\r\n", String(repeating: "z", count: 10000)] {
            let socket = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            try await socket.writeAndFlush(ByteBuffer(string: payload))
            try? await socket.closeFuture.get()
        }
        // Still waiting; cancelled, it stops listening.
        gathering.cancel()
        await #expect(throws: CancellationError.self) { try await gathering.value }
        await #expect(throws: (any Error).self) {
            _ = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
        }
    }

    @Test func aMemberThatGoesQuietIsLostAfterTheSilenceLimit() async throws {
        let (gathered, gathering) = try await leader(heartbeat: .milliseconds(100))
        let port = gathered.port
        // A worker that joins, then never writes again (a hung host: no FIN, no beat).
        let quiet = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await quiet.writeAndFlush(
            ByteBuffer(string: GroupMessage.join(rank: 1, size: 2, profile: "general/p", model: "org/model").line))
        try await gathering.value
        let started = ContinuousClock.now
        let loss = await gathered.loss()
        let waited = ContinuousClock.now - started
        #expect(loss?.rank == 1 && loss?.reason.contains("sent nothing for") == true, "\(loss?.reason ?? "")")
        // 3 silent intervals of 100 ms on the leader's own beats: between 200 and 300 ms after the start.
        // The upper bound is loose: under the full suite the synchronous integration tests hold the shared
        // threads for seconds at a time.
        #expect(waited >= .milliseconds(150) && waited < .seconds(60), "\(waited)")
        await gathered.end(ok: false, reason: "lost")
        try? await quiet.close()
    }

    /// A worker pod restarted while another still downloads: it joins again under the same rank.
    @Test func aWorkerThatLeftBeforeTheStartMayJoinAgain() async throws {
        let (gathered, gathering) = try await leader(size: 3)
        let port = gathered.port
        let early = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await early.writeAndFlush(
            ByteBuffer(string: GroupMessage.join(rank: 1, size: 3, profile: "general/p", model: "org/model").line))
        try await Task.sleep(for: .milliseconds(200))
        try await early.close()
        async let one = GroupWorker.join(settings(rank: 1, port: port, size: 3))
        async let two = GroupWorker.join(settings(rank: 2, port: port, size: 3))
        let workers = try await [one, two]
        try await gathering.value
        #expect(gathered.missingRanks.isEmpty)
        await gathered.end(ok: true, reason: "stopped")
        for worker in workers { #expect(await worker.loss()?.orderly == true) }
    }

    @Test func aWorkerWithNoLeaderGivesUpWithTheAddress() async throws {
        let port = LocalServer.freePort()
        await #expect {
            _ = try await GroupWorker.join(settings(rank: 1, port: port, timeout: .milliseconds(400)))
        } throws: { error in
            guard let error = error as? AIMError else { return false }
            return error.status == .groupIncomplete && error.message.contains("127.0.0.1:\(port)")
                && error.message.contains("Connection refused")
        }
    }

    @Test func theRouteToALocalLeaderIsLoopback() async throws {
        let route = try await LeaderRouting(patience: .zero, resolveNames: false).route(toLeader: "127.0.0.1")
        #expect(route == GroupRoute(interface: "lo", localAddress: "127.0.0.1"))
        await #expect {
            _ = try await LeaderRouting(patience: .zero, resolveNames: false).route(toLeader: "aim-0.aim")
        } throws: { error in
            (error as? AIMError)?.message.contains("a dry-run does not resolve") == true
        }
    }
}
