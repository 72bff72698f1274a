import AIMTestSupport
import Foundation
import Testing

/// Two "hosts" on this machine (network namespaces joined by a veth pair, Tests/Tools/netns_pair.sh), one
/// `aim-runtime serve` on each with the group's variables, and the scripted engine's multi-node mode
/// (Tests/Servers/fake_multinode.py: the leader waits for its workers over TCP, answers 500 after losing one).
@Suite(
    .serialized,
    .enabled(if: getuid() == 0 && TestTools.onPath("ip") != nil, "needs root and iproute2 to make network namespaces"))
final class MultiNodeGroupTests {
    let work: TemporaryDirectory
    let pair: NamespacePair

    init() throws {
        work = try ScriptedEngineWorkspace.make()
        try work.write(
            "profiles/general/vllm-mi300x-fp16-2x1-latency.yaml",
            ProfileFixture.general(gpuCount: "1").replacingOccurrences(
                of: "  gpu_count: 1\n", with: "  gpu_count: 1\n  node_count: 2\n"
            ).replacingOccurrences(of: "tensor-parallel-size: 1", with: "tensor-parallel-size: 2"))
        pair = try NamespacePair.up("aimg\(getpid() % 100_000)")
    }

    deinit {
        pair.down()
    }

    func environment(rank: Int, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "PATH": work.path + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "AIM_MODEL_ID": work.path + "/model", "AIM_PROFILE_BASE_PATH": work.path + "/profiles",
            "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1", "AIM_PREFLIGHT": "off", "AIM_MEMORY_CHECK": "off",
            "AIM_NODE_COUNT": "2", "AIM_NODE_RANK": String(rank), "AIM_LEADER_ADDRESS": pair.leaderAddress,
            "AIM_STATUS_PATH": work.path + "/status-\(rank).json", "AIM_HEALTH_INTERVAL_SECONDS": "1",
            "AIM_HEALTH_FAILURE_THRESHOLD": "2", "AIM_SHUTDOWN_GRACE_SECONDS": "3", "AIM_GROUP_TIMEOUT_SECONDS": "60",
            "AIM_TERMINATION_MESSAGE_PATH": work.path + "/termination-\(rank)",
            "FAKE_ENGINE_STATE": work.path + "/state-{rank}", "FAKE_ENGINE_MODE": "ok",
        ].merging(extra) { $1 }
    }

    func serve(rank: Int, _ extra: [String: String] = [:]) throws -> NamespacedProcess {
        try NamespacedProcess(
            namespace: rank == 0 ? pair.leader : pair.worker, arguments: [CLI.binary, "serve"],
            environment: environment(rank: rank, extra), log: work.path + "/serve-\(rank).log")
    }

    func health(rank: Int) throws -> CLI.Outcome {
        try NamespacedProcess.run(
            namespace: rank == 0 ? pair.leader : pair.worker, [CLI.binary, "health", "--ready"],
            environment: environment(rank: rank))
    }

    func waitUntilReady(rank: Int, seconds: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try health(rank: rank).status == 0 { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    /// The engines behave as real vLLM 0.32 did across two namespaces: an idle leader whose worker died stays
    /// healthy (FAKE_WORKER_LOSS=vllm), so only aim-runtime's own watch of the group can end it.
    @Test func theLeaderIsReadyOnlyAfterTheWorkerAndAKilledWorkerFailsTheGroup() throws {
        let leader = try serve(rank: 0, ["FAKE_WORKER_LOSS": "vllm"])
        Thread.sleep(forTimeInterval: 2)
        // Alone, the leader waits for rank 1 and starts no engine.
        #expect(leader.isRunning)
        #expect(try health(rank: 0).status == 1)
        #expect(leader.log.contains("Waiting for 1 worker to join on port 29600"), "\(leader.log)")
        let worker = try serve(rank: 1)
        #expect(try waitUntilReady(rank: 0, seconds: 60), "leader: \(leader.log)\nworker: \(worker.log)")
        let workerHealth = try health(rank: 1)
        #expect(workerHealth.status == 0 && workerHealth.stdout.contains("worker rank 1's engine"), "\(workerHealth)")
        #expect(worker.log.contains("--headless"))

        // The worker's engine dies: its serve ends, and the leader fails the group within interval × threshold.
        let status = try String(contentsOfFile: work.path + "/status-1.json", encoding: .utf8)
        let workerEngine = try #require(
            status.split(separator: ",").first { $0.contains("engine_pid") }.flatMap {
                Int32($0.filter(\.isNumber))
            })
        let killed = Date()
        kill(workerEngine, SIGKILL)
        let leaderCode = leader.wait(seconds: 30)
        let elapsed = Date().timeIntervalSince(killed)
        #expect(leaderCode == 19, "leader: \(leader.log)")
        #expect(leader.log.contains("the group failed: rank 1"), "\(leader.log)")
        // Decided at once (the connection closed), then the engine's stop: well within 1 s × 2 + the grace period.
        #expect(elapsed < 2 + 3, "\(elapsed) s")
        print(
            "multi-node: leader exited \(leaderCode ?? -1) \(String(format: "%.2f", elapsed)) s after the worker's engine was killed"
        )
        #expect(worker.wait(seconds: 30) == 137, "worker: \(worker.log)")
        #expect(pair.remainingProcesses().isEmpty, "left: \(pair.remainingProcesses())")
    }

    /// The worker's pod dies at once (SIGKILL to its aim-runtime): its engine goes with it (the parent-death
    /// signal), and the leader sees the connection close.
    @Test func aKilledWorkerRuntimeFailsTheGroupAndLeavesNoOrphan() throws {
        let leader = try serve(rank: 0)
        let worker = try serve(rank: 1)
        #expect(try waitUntilReady(rank: 0, seconds: 60), "leader: \(leader.log)\nworker: \(worker.log)")
        let killed = Date()
        worker.signal(SIGKILL)
        #expect(leader.wait(seconds: 30) == 19, "leader: \(leader.log)")
        let elapsed = Date().timeIntervalSince(killed)
        #expect(elapsed < 2 + 3, "\(elapsed) s")
        #expect(leader.log.contains("rank 1 closed its connection"), "\(leader.log)")
        _ = worker.wait(seconds: 10)
        // The orphaned engine got SIGKILL when its aim-runtime died; the kernel gets a moment to reap it.
        #expect(pair.remainingProcesses(after: 5).isEmpty, "left: \(pair.remainingProcesses())")
    }

    /// The leader's pod dies at once: a real vLLM worker then hangs silently (FAKE_LEADER_LOSS=hang), so the
    /// worker's aim-runtime stops it and fails too.
    @Test func aKilledLeaderFailsTheWorkerWhoseEngineHangs() throws {
        let leader = try serve(rank: 0)
        let worker = try serve(rank: 1, ["FAKE_LEADER_LOSS": "hang"])
        #expect(try waitUntilReady(rank: 0, seconds: 60), "leader: \(leader.log)\nworker: \(worker.log)")
        let killed = Date()
        leader.signal(SIGKILL)
        #expect(worker.wait(seconds: 30) == 19, "worker: \(worker.log)")
        let elapsed = Date().timeIntervalSince(killed)
        #expect(elapsed < 2 + 3 + 2, "\(elapsed) s")
        #expect(worker.log.contains("the group failed: the leader (rank 0) closed its connection"), "\(worker.log)")
        _ = leader.wait(seconds: 10)
        #expect(pair.remainingProcesses(after: 5).isEmpty, "left: \(pair.remainingProcesses())")
    }

    @Test func aStoppedLeaderStopsTheGroupCleanly() throws {
        let leader = try serve(rank: 0)
        let worker = try serve(rank: 1)
        #expect(try waitUntilReady(rank: 0, seconds: 60), "leader: \(leader.log)\nworker: \(worker.log)")
        leader.signal(SIGTERM)
        #expect(leader.wait(seconds: 30) == 0, "\(leader.log)")
        #expect(worker.wait(seconds: 30) == 0, "\(worker.log)")
        #expect(worker.log.contains("the leader ended the group: stopped"), "\(worker.log)")
        #expect(pair.remainingProcesses().isEmpty, "left: \(pair.remainingProcesses())")
    }

    @Test func aLeaderAloneNamesTheMissingRankAndAMismatchedWorkerIsRefused() throws {
        let leader = try serve(rank: 0, ["AIM_GROUP_TIMEOUT_SECONDS": "10"])
        // A worker planning another model is refused with the reason, on both sides.
        let stranger = try serve(rank: 1, ["AIM_MODEL_ID": work.path + "/bin"])
        #expect(stranger.wait(seconds: 30) == 2, "\(stranger.log)")
        #expect(stranger.log.contains("refused this node: rank 1 chose profile"), "\(stranger.log)")
        #expect(leader.wait(seconds: 30) == 18, "\(leader.log)")
        #expect(
            leader.log.contains(
                "rank 1 of the group of 2 did not join the leader on port 29600 within AIM_GROUP_TIMEOUT_SECONDS=10"))
        #expect(!FileManager.default.fileExists(atPath: work.path + "/state-0/role"), "no engine started")
        #expect(pair.remainingProcesses().isEmpty)
    }
}

/// Two network namespaces from Tests/Tools/netns_pair.sh.
struct NamespacePair {
    let prefix: String
    let leader: String
    let worker: String
    let leaderAddress: String
    let workerAddress: String
    let workerInterface: String

    static let script = CLI.packageRoot + "/Tests/Tools/netns_pair.sh"

    static func up(_ prefix: String) throws -> NamespacePair {
        _ = try? CLI.runProgram("/bin/bash", [script, "down", prefix])
        let outcome = try CLI.runProgram("/bin/bash", [script, "up", prefix])
        guard outcome.status == 0 else { throw NamespaceError(message: outcome.stderr) }
        var values: [String: String] = [:]
        for line in outcome.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return NamespacePair(
            prefix: prefix, leader: values["A_NS"] ?? "", worker: values["B_NS"] ?? "",
            leaderAddress: values["A_ADDR"] ?? "", workerAddress: values["B_ADDR"] ?? "",
            workerInterface: values["B_IF"] ?? "")
    }

    /// What is still running in either namespace once it is empty, or `seconds` have passed.
    func remainingProcesses(after seconds: Double) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while !remainingProcesses().isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        return remainingProcesses()
    }

    func remainingProcesses() -> [String] {
        ((try? CLI.runProgram("/bin/bash", [Self.script, "pids", prefix]))?.stdout ?? "").split(separator: "\n")
            .map(String.init)
    }

    /// The pids in one namespace.
    func processes(in namespace: String) -> [Int32] {
        let ip = NamespacedProcess.ip
        return ((try? CLI.runProgram(ip, ["netns", "pids", namespace]))?.stdout ?? "").split(separator: "\n")
            .compactMap { Int32($0) }
    }

    func down() {
        _ = try? CLI.runProgram("/bin/bash", [Self.script, "down", prefix])
    }
}

struct NamespaceError: Error {
    let message: String
}

/// A process started inside a namespace with `ip netns exec`, its output in a log file.
final class NamespacedProcess: Sendable {
    let process: Process
    let logPath: String

    init(namespace: String, arguments: [String], environment: [String: String], log: String) throws {
        logPath = log
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["-i"] + environment.map { "\($0.key)=\($0.value)" } + [Self.ip, "netns", "exec", namespace]
            + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    static func run(namespace: String, _ arguments: [String], environment: [String: String]) throws -> CLI.Outcome {
        try CLI.runProgram(
            "/usr/bin/env",
            ["-i"] + environment.map { "\($0.key)=\($0.value)" } + [Self.ip, "netns", "exec", namespace] + arguments)
    }

    static let ip = TestTools.onPath("ip") ?? "/usr/sbin/ip"

    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit code, or nil (after SIGKILL) when it did not end in time.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}
