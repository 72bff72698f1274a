import AIMTestSupport
import Foundation
import Testing

/// `doctor` and serve's preflight, through the built binary, on fixture host trees (AIM_HOST_ROOT).
@Suite(.serialized) struct DoctorTests {
    let work: TemporaryDirectory
    let port = LocalServer.freePort()

    init() throws {
        work = try ScriptedEngineWorkspace.make()
    }

    /// The fixture host's 8 MI300X, seen through sysfs only, with a one-GPU general profile and a local model.
    func environment(_ tree: HostTree, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "AIM_HOST_ROOT": tree.root, "AIM_GPU_SOURCE": "sysfs", "AIM_GPU_COUNT": "1",
            "AIM_MODEL_ID": work.path + "/model", "AIM_PROFILE_BASE_PATH": work.path + "/profiles",
            "AIM_PORT": String(port), "AIM_STATUS_PATH": work.path + "/status.json",
            "FAKE_ENGINE_MODE": "ok", "FAKE_ENGINE_STATE": work.path + "/state", "AIM_SHUTDOWN_GRACE_SECONDS": "2",
        ].merging(extra) { $1 }
    }

    func json(_ text: String) throws -> [[String: String]] {
        let document = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(document["checks"] as? [[String: String]])
    }

    @Test func doctorJSONOnAFixtureHostWithoutKFDExitsSixteen() throws {
        let tree = try HostTree.healthy()
        try tree.remove("/dev/kfd")
        // python3 without vLLM: the engine import fails for real.
        let outcome = try CLI.run(["doctor", "--format", "json"], environment: environment(tree))
        #expect(outcome.status == 16, "\(outcome.stderr)")
        let checks = try json(outcome.stdout)
        #expect(
            checks.map { $0["id"] ?? "" } == [
                "kfd_access", "render_access", "shm_size", "numa_balancing", "iommu_pt", "vram_in_use", "memlock",
                "cache_disk", "port_free", "hf_token", "visible_devices", "engine_import",
            ])
        let byID = Dictionary(uniqueKeysWithValues: checks.map { ($0["id"] ?? "", $0) })
        #expect(byID["kfd_access"]?["status"] == "fail")
        #expect(byID["kfd_access"]?["message"]?.contains(tree.root + "/dev/kfd does not exist") == true)
        #expect(byID["kfd_access"]?["fix"]?.contains("--device=/dev/kfd") == true)
        for id in [
            "render_access", "shm_size", "numa_balancing", "iommu_pt", "vram_in_use", "cache_disk", "port_free",
            "hf_token", "visible_devices",
        ] {
            #expect(byID[id]?["status"] == "ok", "\(id): \(byID[id] ?? [:])")
        }
        #expect(byID["engine_import"]?["status"] == "fail", "\(byID["engine_import"] ?? [:])")
        let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors == ["error: 2 host check(s) failed: kfd_access, engine_import; each row gives its fix"])
    }

    @Test func doctorTableWithoutAModelStillRunsAndSaysSo() throws {
        let tree = try HostTree.healthy()
        var variables = environment(tree)
        variables["AIM_MODEL_ID"] = nil
        let outcome = try CLI.run(["doctor"], environment: variables)
        let rows = outcome.stdout.split(separator: "\n")
        #expect(rows.count == 13, "\(outcome.stdout)")
        #expect(
            rows.contains { $0.hasPrefix("warn  shm_size") && $0.contains("neither AIM_ID nor AIM_MODEL_ID is set") })
        #expect(rows.contains { $0.hasPrefix("ok    kfd_access") })
    }

    @Test func doctorRejectsAHostRootThatIsNotADirectory() throws {
        let outcome = try CLI.run(["doctor"], environment: ["AIM_HOST_ROOT": work.path + "/nowhere"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("AIM_HOST_ROOT") && outcome.stdout.isEmpty)
    }

    /// The real engine import, where scripts/test.sh installed vLLM for CPU.
    @Test func doctorImportsTheInstalledEngine() throws {
        let venv = NSHomeDirectory() + "/.cache/aim-runtime-vllm-venv/bin"
        guard FileManager.default.isExecutableFile(atPath: venv + "/python") else {
            print("skip: no vLLM venv at \(venv) (scripts/test.sh installs it)")
            return
        }
        let tree = try HostTree.healthy()
        let outcome = try CLI.run(
            ["doctor", "--format", "json"], environment: environment(tree, ["PATH": venv + ":/usr/bin:/bin"]))
        let engine = try #require(try json(outcome.stdout).last)
        #expect(engine["status"] == "ok", "\(engine)")
        #expect(engine["message"]?.hasPrefix("vllm 0.") == true)
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
    }

    func serve(_ variables: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve"]
        process.environment = ["PATH": work.path + "/bin:/usr/bin:/bin", "HOME": work.path].merging(variables) { $1 }
        return process
    }

    /// Runs serve until the scripted engine is ready (30 s at most), then stops it with SIGTERM.
    func serveUntilReadyThenStop(_ variables: [String: String]) throws -> (status: Int32, log: String) {
        let process = try serve(variables)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: work.path + "/state/ready_at") && Date() < deadline {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGTERM)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, log)
    }

    @Test func aFailingPreflightStopsServeBeforeTheEngineStarts() throws {
        let tree = try HostTree.healthy()
        try tree.remove("/dev/kfd")
        let outcome = try CLI.runProgram(
            CLI.binary, ["serve"],
            environment: ["PATH": work.path + "/bin:/usr/bin:/bin", "HOME": work.path].merging(environment(tree)) { $1 }
        )
        #expect(outcome.status == 16, "\(outcome.stderr)")
        let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("error: preflight check kfd_access failed: ") == true, "\(errors)")
        #expect(errors.first?.contains("fix: pass the devices and their groups: docker run --device=/dev/kfd") == true)
        #expect(!FileManager.default.fileExists(atPath: work.path + "/state/pid"), "the engine was started")
    }

    @Test func preflightOffSkipsTheChecksAndTheEngineStarts() throws {
        let tree = try HostTree.healthy()
        try tree.remove("/dev/kfd")
        let (status, log) = try serveUntilReadyThenStop(environment(tree, ["AIM_PREFLIGHT": "off"]))
        #expect(FileManager.default.fileExists(atPath: work.path + "/state/ready_at"), "\(log)")
        #expect(status == 0, "\(log)")
        #expect(log.contains("AIM_PREFLIGHT=off: the host checks are skipped"))
    }

    @Test func warningsAreLoggedAndServeGoesOn() throws {
        let tree = try HostTree.healthy()
        try tree.write("/proc/sys/kernel/numa_balancing", "1\n")
        let (status, log) = try serveUntilReadyThenStop(environment(tree))
        #expect(status == 0, "\(log)")
        #expect(log.contains("WARNING - Preflight numa_balancing: automatic NUMA balancing is on"), "\(log)")
        #expect(log.contains("Preflight: 8 host checks passed"))
    }
}
