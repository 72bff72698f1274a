import AIMTestSupport
import Foundation
import Testing

/// serve's supervision holes (issue 10, family 6 and 8b): a port someone else holds, an answer
/// from a server that is not our engine, a status file two launchers share, a grandchild in a
/// session of its own, a hung or flooding engine probe, and files that would block.
@Suite(.serialized) struct ServeSupervisionTests {
    let base: ServeTests

    init() throws {
        base = try ServeTests()
    }

    var work: String { base.work.path }

    func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
    }

    func gone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    func health(_ flag: String, statusPath: String, port: Int) throws -> CLI.Outcome {
        try CLI.run(["health", flag], environment: ["AIM_STATUS_PATH": statusPath, "AIM_PORT": String(port)])
    }

    @Test func aPortAnotherServerAnswersIsRefusedUpFrontNamingItsHolder() throws {
        // A first serve whose engine answers on the port.
        let first = try base.serve("ok")
        let enginePID = try #require(base.waitFor("pid").flatMap { Int32($0) })
        _ = base.waitFor("ready_at")
        usleep(300_000)
        let second = try base.serve(
            "ok", ["AIM_STATUS_PATH": work + "/second-status.json", "FAKE_ENGINE_STATE": work + "/second"])
        let refused = second.finish()
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.seconds < 5, "refused after \(refused.seconds) s")
        #expect(
            errorLines(refused.stderr) == [
                "error: port \(base.port) (AIM_PORT) is already in use by pid \(enginePID) (python3); stop that process or set AIM_PORT to a free port"
            ],
            "\(refused.stderr)")
        #expect(!refused.stderr.contains("Engine ready") && !refused.stderr.contains("Started the engine"))
        #expect(
            !FileManager.default.fileExists(atPath: work + "/second-status.json"), "the refused serve wrote no status")
        // The first one still serves, and its health says so.
        #expect(try health("--ready", statusPath: work + "/status.json", port: base.port).status == 0)
        kill(first.process.processIdentifier, SIGTERM)
        #expect(first.finish().status == 0)
    }

    @Test func aStatusFileHeldByAnotherServeIsNotTaken() throws {
        let first = try base.serve("ok")
        _ = base.waitFor("ready_at")
        usleep(300_000)
        let statusPath = work + "/status.json"
        let before = try String(contentsOfFile: statusPath, encoding: .utf8)
        let otherPort = LocalServer.freePort()
        let second = try base.serve("ok", ["AIM_PORT": String(otherPort), "FAKE_ENGINE_STATE": work + "/second"])
            .finish()
        #expect(second.status == 2)
        let pid = first.process.processIdentifier
        #expect(
            errorLines(second.stderr) == [
                "error: AIM_STATUS_PATH=\(statusPath) is in use by another serve (pid \(pid)); give each serve its own AIM_STATUS_PATH, or stop the other one"
            ],
            "\(second.stderr)")
        #expect(try String(contentsOfFile: statusPath, encoding: .utf8) == before, "the status file is untouched")
        let live = try health("--live", statusPath: statusPath, port: base.port)
        #expect(live.status == 0 && live.stdout == "live: serve (pid \(pid)) is ready\n", "\(live.stdout)")
        #expect(try health("--ready", statusPath: statusPath, port: base.port).status == 0)
        kill(pid, SIGTERM)
        #expect(first.finish().status == 0)
        // Released with serve: the next one may use the path.
        try FileManager.default.removeItem(atPath: work + "/state/ready_at")
        let third = try base.serve("ok")
        _ = base.waitFor("ready_at")
        usleep(300_000)
        #expect(
            try health("--live", statusPath: statusPath, port: base.port).stdout.contains(
                "(pid \(third.process.processIdentifier))"))
        kill(third.process.processIdentifier, SIGTERM)
        #expect(third.finish().status == 0)
    }

    @Test func anAnswerAfterOurEngineDiedIsNotReadiness() throws {
        // The engine hands the port to a server in its own session and exits during the probe.
        let result = try base.serve("handoff").finish()
        #expect(!result.stderr.contains("Engine ready"), "\(result.stderr)")
        #expect(result.status == 15 && result.stderr.contains("without being asked to stop"), "\(result.stderr)")
        let other = try #require(base.state("other/pid").flatMap { Int32($0) })
        #expect(gone(other), "the server left in its own session was killed and reaped")
    }

    @Test func aServerThatTookThePortAfterTheCheckIsNotTheEngine() throws {
        // The engine waits 3 s before it listens; meanwhile a stranger takes the port and answers.
        let run = try base.serve("slow-start", ["FAKE_ENGINE_DELAY": "3"])
        _ = base.waitFor("pid")
        try FileManager.default.createDirectory(atPath: work + "/stranger", withIntermediateDirectories: true)
        let stranger = Process()
        stranger.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        stranger.arguments = [
            CLI.packageRoot + "/Tests/Servers/fake_engine.py", "--port", String(base.port), "--served-model-name",
            work + "/model",
        ]
        stranger.environment = [
            "FAKE_ENGINE_MODE": "ok", "FAKE_ENGINE_STATE": work + "/stranger", "PATH": "/usr/bin:/bin",
        ]
        stranger.standardOutput = FileHandle.nullDevice
        try stranger.run()
        defer {
            // SIGKILL: the test runner's threads block SIGTERM, and its children inherit the mask.
            kill(stranger.processIdentifier, SIGKILL)
            stranger.waitUntilExit()
        }
        let result = run.finish()
        #expect(!result.stderr.contains("Engine ready"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "Port \(base.port) answers, but pid \(stranger.processIdentifier) (python3) holds it, not the engine"),
            "\(result.stderr)")
        #expect(
            result.status == 1 && result.stderr.contains("during start"),
            "the engine could not listen: \(result.status)")
    }

    @Test func aGrandchildInItsOwnSessionIgnoringSIGTERMDoesNotOutliveServe() throws {
        let run = try base.serve("setsid-grandchild")
        _ = base.waitFor("ready_at")
        let grandchild = try #require(base.waitFor("grandchild_pid").flatMap { Int32($0) })
        usleep(300_000)
        #expect(!gone(grandchild))
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.seconds < 10)
        #expect(gone(grandchild), "grandchild \(grandchild) outlived serve")
    }

    @Test func aHungEngineProbeIsKilledAfterItsTimeLimitAndServeCarriesOn() throws {
        let run = try base.serve("ok", ["FAKE_PROBE": "hang"])
        let probeChild = try #require(base.waitFor("probe_child_pid").flatMap { Int32($0) })
        let readyAt = try #require(base.waitFor("ready_at", timeout: 40).flatMap(Double.init))
        let waited = readyAt - run.started.timeIntervalSince1970
        #expect(waited > 19 && waited < 30, "the engine started \(waited) s after serve")
        // Killed with its group; serve is not yet the subreaper then, so init reaps it (a zombie until it does).
        #expect(gone(probeChild) || PIDState.of(probeChild) == "Z", "the probe's whole process group was killed")
        usleep(300_000)
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("WARNING - Engine: the installed vLLM could not be inspected (")
                && result.stderr.contains("did not finish within 20 s and was killed); the reference's module form"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("--shutdown-timeout"), "without the flag the probe could not confirm")
        #expect(!result.stderr.contains("error:"))
    }

    @Test func aFloodingEngineProbeIsCutOff() throws {
        let run = try base.serve("ok", ["FAKE_PROBE": "flood"])
        let readyAt = try #require(base.waitFor("ready_at").flatMap(Double.init))
        #expect(readyAt - run.started.timeIntervalSince1970 < 10)
        usleep(300_000)
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("printed too much and was killed); the reference's module form"), "\(result.stderr)")
    }

    @Test func aTerminationLogThatIsAFIFOWithoutReaderDoesNotHangServe() throws {
        let fifo = work + "/termination-fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try base.serve("crash-start", ["AIM_TERMINATION_MESSAGE_PATH": fifo]).finish()
        #expect(result.status == 3)
        #expect(result.seconds < 10, "serve took \(result.seconds) s")
    }

    @Test func anUnusableStatusPathFailsUpFront() throws {
        try FileManager.default.createDirectory(atPath: work + "/a-directory", withIntermediateDirectories: true)
        let result = try base.serve("ok", ["AIM_STATUS_PATH": work + "/a-directory"]).finish()
        #expect(result.status == 2)
        #expect(
            errorLines(result.stderr) == [
                "error: cannot use AIM_STATUS_PATH=\(work)/a-directory: it exists and is not a regular file; point AIM_STATUS_PATH at a file in a writable directory"
            ],
            "\(result.stderr)")
        #expect(base.state("pid") == nil, "no engine was started")
    }
}
