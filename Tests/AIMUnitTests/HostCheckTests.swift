import AIMConfiguration
import AIMCore
import AIMGPU
import AIMHost
import AIMModelStore
import AIMProcess
import AIMReports
import AIMTestSupport
import Foundation
import Testing

/// Each host check on fixture host trees (AIM_HOST_ROOT), with the rest of the world faked: milliseconds each.
@Suite struct HostCheckTests {
    static func world(
        _ tree: HostTree, environment: [String: String] = [:], closed: Set<String> = [], memlock: UInt64? = nil,
        port: String? = nil,
        program:
            @escaping @Sendable (String, [String], Duration) async -> Result<ToolProcessOutcome, ToolProcessFailure> =
            { _, _, _ in .failure(ToolProcessFailure("not in this test")) }
    ) -> HostWorld {
        let root = tree.root
        return HostWorld(
            files: HostFiles(root: root), environment: environment,
            canReadWrite: { path in
                FileManager.default.fileExists(atPath: path)
                    && !closed.contains(path.replacingOccurrences(of: root, with: ""))
            },
            memlockBytes: { memlock }, filesystemBytes: { _ in nil }, portProblem: { _, _ in port },
            runProgram: program, ownPID: 1)
    }

    static func facts(
        _ tree: HostTree, gpuCount: Int? = 1, environment: [String: String] = [:], python: String? = "/usr/bin/python3"
    ) async throws -> LaunchFacts {
        let report = try await GPUDetector(
            readers: [KFDTopologyReader(root: tree.path("/sys"))], environment: environment
        )
        .detect()
        return LaunchFacts(
            profileID: gpuCount.map { "vllm-mi300x-fp16-tp\($0)-latency" }, gpuCount: gpuCount,
            noProfileReason: gpuCount == nil ? "no AIM_ID" : "", report: report, port: 8000, engine: .vllm,
            python: python)
    }

    static func check(
        _ id: CheckID, _ world: HostWorld, _ facts: LaunchFacts, model: ModelFacts? = nil
    ) async throws -> HostCheck {
        try #require(await HostChecker(world: world, facts: facts, model: model).run([id]).first)
    }

    @Test func aHealthyHostPassesEveryFastCheck() async throws {
        let tree = try HostTree.healthy()
        let checks = await HostChecker(
            world: Self.world(tree), facts: try await Self.facts(tree, gpuCount: 8), model: nil
        )
        .run(CheckID.preflight)
        #expect(checks.map(\.id) == CheckID.preflight)
        for check in checks {
            #expect(check.status == .ok, "\(check)")
            #expect(check.fix.isEmpty)
        }
    }

    @Test func missingKFDFailsWhereTheHostHasGPUs() async throws {
        let tree = try HostTree.healthy()
        try tree.remove("/dev/kfd")
        let check = try await Self.check(.kfdAccess, Self.world(tree), try await Self.facts(tree))
        #expect(check.status == .fail)
        #expect(check.message.contains(tree.path("/dev/kfd")) && check.message.contains("8 AMD GPU(s)"))
        #expect(check.fix.contains("--device=/dev/kfd") && check.fix.contains("--group-add render"))
    }

    @Test func missingKFDOnlyWarnsOnAHostWithoutGPUs() async throws {
        let tree = try HostTree(machine: "cpu-only")
        let facts = try await Self.facts(tree)
        for id in [CheckID.kfdAccess, .renderAccess] {
            let check = try await Self.check(id, Self.world(tree), facts)
            #expect(check.status == .warn, "\(check)")
            #expect(check.message.contains("only a CPU build of the engine can run here"))
        }
    }

    @Test func unreadableKFDAndRenderNodesFail() async throws {
        let tree = try HostTree.healthy()
        let world = Self.world(tree, closed: ["/dev/kfd", "/dev/dri/renderD130"])
        let facts = try await Self.facts(tree)
        let kfd = try await Self.check(.kfdAccess, world, facts)
        #expect(kfd.status == .fail)
        #expect(kfd.message.contains("is not readable and writable by this process (mode 0"))
        let render = try await Self.check(.renderAccess, world, facts)
        #expect(render.status == .fail)
        #expect(render.message.contains("1 of 8 render node(s)") && render.message.contains("renderD130"))
    }

    @Test func smallSharedMemoryFailsWithTensorParallelismAndWarnsWithout() async throws {
        let tree = try HostTree.healthy()
        try tree.write("/proc/self/mounts", HostTree.mounts(shm: "65536k"))
        let eight = try await Self.check(.shmSize, Self.world(tree), try await Self.facts(tree, gpuCount: 8))
        #expect(eight.status == .fail)
        #expect(eight.message.contains("64.0 MiB") && eight.message.contains("8 GPU(s) need at least 8.0 GiB"))
        #expect(eight.fix.contains("--shm-size=8g") && eight.fix.contains("sizeLimit: 8Gi"))
        let one = try await Self.check(.shmSize, Self.world(tree), try await Self.facts(tree, gpuCount: 1))
        #expect(one.status == .warn)
        try tree.write("/proc/self/mounts", HostTree.mounts(shm: "4g"))
        #expect(
            try await Self.check(.shmSize, Self.world(tree), try await Self.facts(tree, gpuCount: 8)).status == .warn)
    }

    @Test func sharedMemorySizeComesFromTheMountOptions() {
        #expect(SharedMemoryRule.mountSize(HostTree.mounts(shm: "65536k")) == 64 << 20)
        #expect(SharedMemoryRule.mountSize("shm /dev/shm tmpfs rw,nosuid 0 0\n") == nil)
        #expect(SharedMemoryRule.mountSize("tmpfs /dev/shm tmpfs rw,size=99999999999999999999k 0 0\n") == nil)
        #expect(SharedMemoryRule.required(gpuCount: 8) == 8 << 30)
        #expect(SharedMemoryRule.required(gpuCount: 0) == 1 << 30)
    }

    @Test func numaBalancingOnWarns() async throws {
        let tree = try HostTree.healthy()
        try tree.write("/proc/sys/kernel/numa_balancing", "1\n")
        let check = try await Self.check(.numaBalancing, Self.world(tree), try await Self.facts(tree))
        #expect(check.status == .warn)
        #expect(check.fix.contains("sysctl -w kernel.numa_balancing=0"))
    }

    @Test func noIOMMUPassThroughWarnsOnlyWithSeveralGPUs() async throws {
        let tree = try HostTree.healthy()
        try tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro\n")
        let eight = try await Self.check(.iommuPT, Self.world(tree), try await Self.facts(tree, gpuCount: 8))
        #expect(eight.status == .warn)
        #expect(eight.message.contains("uses 8 GPUs") && eight.fix.contains("iommu=pt"))
        #expect(try await Self.check(.iommuPT, Self.world(tree), try await Self.facts(tree, gpuCount: 1)).status == .ok)
    }

    @Test func aStaleVRAMHolderOnALaunchGPUIsNamedWithItsPid() async throws {
        let tree = try HostTree.healthy()
        let ids = try tree.numberGPUNodes()
        try tree.kfdProcess(pid: 4242, name: "VLLM::EngineCor", gpuID: ids[0], bytes: 12 << 30)
        let check = try await Self.check(.vramInUse, Self.world(tree), try await Self.facts(tree, gpuCount: 1))
        #expect(check.status == .warn)
        #expect(check.message.contains("pid 4242 (VLLM::EngineCor) holds 12.0 GiB"), "\(check.message)")
        #expect(check.fix.contains("kill"))
        // On a GPU the launch does not use, it is none of this launch's business.
        try tree.remove("/sys/class/kfd/kfd/proc/4242")
        try tree.kfdProcess(pid: 4343, name: "python3", gpuID: ids[7], bytes: 12 << 30)
        #expect(
            try await Self.check(.vramInUse, Self.world(tree), try await Self.facts(tree, gpuCount: 1)).status == .ok)
        #expect(
            try await Self.check(.vramInUse, Self.world(tree), try await Self.facts(tree, gpuCount: 8)).status == .warn)
    }

    @Test func vramUseOverTheThresholdWarnsFromTheReport() async throws {
        let tree = try HostTree.healthy()
        var facts = try await Self.facts(tree, gpuCount: 2)
        let report = try #require(facts.report)
        var gpus = report.gpus
        gpus[1].vramUsedBytes = 40 << 30
        facts.report = GPUReport(
            source: report.source, gpus: gpus, detectedCount: report.detectedCount, attempts: report.attempts,
            visibilityFilters: [], warnings: [])
        let check = try await Self.check(.vramInUse, Self.world(tree), facts)
        #expect(check.status == .warn)
        #expect(check.message.contains("GPU 1 has 40.0 GiB in use"))
    }

    @Test func lowMemlockWarns() async throws {
        let tree = try HostTree.healthy()
        let check = try await Self.check(.memlock, Self.world(tree, memlock: 8 << 20), try await Self.facts(tree))
        #expect(check.status == .warn)
        #expect(check.message.contains("8.0 MiB") && check.fix.contains("--ulimit memlock=-1:-1"))
        #expect(
            try await Self.check(.memlock, Self.world(tree, memlock: nil), try await Self.facts(tree)).status == .ok)
    }

    @Test func visibleDevicesMustLeaveTheProfileItsGPUs() async throws {
        let tree = try HostTree.healthy()
        let narrow = ["HIP_VISIBLE_DEVICES": "0,1"]
        let check = try await Self.check(
            .visibleDevices, Self.world(tree, environment: narrow),
            try await Self.facts(tree, gpuCount: 8, environment: narrow))
        #expect(check.status == .fail)
        #expect(check.message.contains("2 of the host's 8 GPU(s) are visible, but the profile uses 8"))
        #expect(check.fix.contains("AIM_GPU_COUNT=2"))
        let clash = ["HIP_VISIBLE_DEVICES": "0", "CUDA_VISIBLE_DEVICES": "1"]
        let both = try await Self.check(
            .visibleDevices, Self.world(tree, environment: clash),
            try await Self.facts(tree, gpuCount: 1, environment: clash))
        #expect(both.status == .fail && both.message.contains("differ"))
        #expect(
            try await Self.check(
                .visibleDevices, Self.world(tree, environment: narrow),
                try await Self.facts(tree, gpuCount: 2, environment: narrow)
            ).status == .ok)
    }

    @Test func withoutAProfileTheChecksThatNeedOneWarnAndSaySo() async throws {
        let tree = try HostTree.healthy()
        let facts = try await Self.facts(tree, gpuCount: nil)
        let checks = await HostChecker(world: Self.world(tree), facts: facts, model: nil).run(
            [.shmSize, .iommuPT, .visibleDevices, .cacheDisk, .hfToken], askHub: false)
        #expect(checks.count == 5)
        for check in checks {
            #expect(check.status == .warn, "\(check)")
            #expect(check.message.contains("no profile could be selected (no AIM_ID)"), "\(check)")
        }
    }

    @Test func theEngineImportReportsItsVersionOrWhyItFailed() async throws {
        let tree = try HostTree.healthy()
        let facts = try await Self.facts(tree)
        let imported = Self.world(tree) { _, arguments, timeout in
            #expect(arguments == ["-c", "import vllm; print(vllm.__version__)"] && timeout == .seconds(60))
            return .success(
                .init(
                    status: 0, stdout: Array("0.32.0+cpu\n".utf8), stderr: [], timedOut: false, stdoutCut: false,
                    stderrCut: false))
        }
        let ok = try await Self.check(.engineImport, imported, facts)
        #expect(ok.status == .ok && ok.message.contains("vllm 0.32.0+cpu imports with /usr/bin/python3"))
        let missing = Self.world(tree) { _, _, _ in
            .success(
                .init(
                    status: 1, stdout: [],
                    stderr: Array("Traceback…\nModuleNotFoundError: No module named 'vllm'\n".utf8), timedOut: false,
                    stdoutCut: false, stderrCut: false))
        }
        let failed = try await Self.check(.engineImport, missing, facts)
        #expect(
            failed.status == .fail && failed.message.hasSuffix("(exit 1): ModuleNotFoundError: No module named 'vllm'"))
        let hung = Self.world(tree) { _, _, _ in
            .success(.init(status: nil, stdout: [], stderr: [], timedOut: true, stdoutCut: false, stderrCut: false))
        }
        #expect(try await Self.check(.engineImport, hung, facts).message.contains("did not finish within 60 s"))
        let noPython = try await Self.check(.engineImport, imported, try await Self.facts(tree, python: nil))
        #expect(noPython.status == .fail && noPython.message.contains("no Python interpreter"))
    }

    static func model(
        repo: String? = "org/gated", inPlace: String? = nil, total: Int64? = 20 << 30, cached: Int64 = 0,
        free: Int64? = 100 << 30, gate: ModelFacts.Gate = .open
    ) -> ModelFacts {
        ModelFacts(
            id: repo ?? "/models/local", hubRepo: repo, inPlace: inPlace, cacheRoot: "/cache", cachedBytes: cached,
            totalBytes: { total.map { .success($0) } ?? .failure(.init("HF_HUB_OFFLINE is set")) },
            freeBytes: { free }, gate: { _ in gate })
    }

    @Test func aGatedModelWithoutATokenFailsAndATokenIsNeverPrinted() async throws {
        let tree = try HostTree.healthy()
        let facts = try await Self.facts(tree)
        let gated = try await Self.check(.hfToken, Self.world(tree), facts, model: Self.model(gate: .gated("manual")))
        #expect(gated.status == .fail && gated.message.contains("org/gated is gated (manual approval)"))
        #expect(gated.fix.contains("HF_TOKEN"))
        let token = "hf_abcdefghijklmnopqrstuvwxyz"
        let withToken = try await Self.check(
            .hfToken, Self.world(tree, environment: ["HF_TOKEN": token]), facts, model: Self.model(gate: .gated("auto"))
        )
        #expect(
            withToken.status == .ok && withToken.message.contains("(HF_TOKEN)") && !withToken.message.contains(token))
        let offline = try await Self.check(
            .hfToken, Self.world(tree, environment: ["HF_HUB_OFFLINE": "1"]), facts,
            model: Self.model(gate: .gated("auto")))
        #expect(offline.status == .warn && offline.message.contains("HF_HUB_OFFLINE"))
        let unknown = try await Self.check(
            .hfToken, Self.world(tree), facts, model: Self.model(gate: .unknown("the Hub did not answer within 5 s")))
        #expect(unknown.status == .warn && unknown.message.contains("did not answer"))
        #expect(try await Self.check(.hfToken, Self.world(tree), facts, model: Self.model(repo: nil)).status == .ok)
    }

    @Test func theHubsGatedFieldIsReadStrictly() {
        #expect(HubGateProbe.answer(status: 200, body: #"{"id": "a/b", "gated": false}"#, repo: "a/b") == .open)
        #expect(HubGateProbe.answer(status: 200, body: #"{"gated": "manual"}"#, repo: "a/b") == .gated("manual"))
        #expect(HubGateProbe.answer(status: 200, body: #"{"gated": "auto"}"#, repo: "a/b") == .gated("auto"))
        guard case .unknown(let why) = HubGateProbe.answer(status: 401, body: "", repo: "a/b") else {
            Issue.record("401 is not an answer")
            return
        }
        #expect(why.contains("401"))
        #expect(HubGateProbe.answer(status: 200, body: #"{"gated": 7}"#, repo: "a/b") != .open)
        #expect(HubGateProbe.answer(status: 200, body: "<html>", repo: "a/b") != .open)
    }

    @Test func theCacheMustHoldWhatIsLeftToDownload() async throws {
        let tree = try HostTree.healthy()
        let facts = try await Self.facts(tree)
        let full = try await Self.check(.cacheDisk, Self.world(tree), facts, model: Self.model(free: 5 << 30))
        #expect(full.status == .fail && full.message.contains("5.0 GiB free") && full.message.contains("20.0 GiB"))
        let partly = Self.model(cached: 16 << 30, free: 5 << 30)
        #expect(try await Self.check(.cacheDisk, Self.world(tree), facts, model: partly).status == .ok)
        let unknown = try await Self.check(.cacheDisk, Self.world(tree), facts, model: Self.model(total: nil))
        #expect(unknown.status == .warn && unknown.message.contains("HF_HUB_OFFLINE"))
        let local = try await Self.check(.cacheDisk, Self.world(tree), facts, model: Self.model(inPlace: "/models/x"))
        #expect(local.status == .ok && local.message.contains("nothing to download"))
    }

    @Test func aHeldPortFails() async throws {
        let tree = try HostTree.healthy()
        let check = try await Self.check(
            .portFree, Self.world(tree, port: "port 8000 (AIM_PORT) is already in use by pid 7 (nginx)"),
            try await Self.facts(tree))
        #expect(check.status == .fail && check.message.contains("pid 7 (nginx)") && check.fix.contains("AIM_PORT"))
    }

    @Test func aGroupLeaderChecksItsRendezvousAndGroupPortsToo() async throws {
        let tree = try HostTree.healthy()
        var facts = try await Self.facts(tree)
        facts.leaderPorts =
            NodeGroup(size: 2, rank: 0, leaderAddress: "leader", masterPort: 29500, groupPort: 29600)
            .leaderPorts
        let free = try await Self.check(.portFree, Self.world(tree), facts)
        #expect(
            free.status == .ok
                && free.message == "ports 8000 (AIM_PORT), 29500 (AIM_MASTER_PORT), 29600 (AIM_GROUP_PORT) are free")
        var world = Self.world(tree)
        world.portProblem = { port, variable in
            port == 29500 ? "port \(port) (\(variable)) is already in use by pid 9 (python3)" : nil
        }
        let taken = try await Self.check(.portFree, world, facts)
        #expect(
            taken.status == .fail
                && taken.message == "port 29500 (AIM_MASTER_PORT) is already in use by pid 9 (python3)"
                && taken.fix == "stop the process holding it, or set AIM_MASTER_PORT to a free port", "\(taken)")
    }

    @Test func theJSONHasEveryCheckInTheDocumentedOrderAndShape() async throws {
        let tree = try HostTree.healthy()
        let checks = await HostChecker(
            world: Self.world(tree), facts: try await Self.facts(tree, gpuCount: 8), model: Self.model()
        ).run()
        let json = DoctorReportView.render(checks, format: .json)
        let document = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Array(document.keys) == ["checks"])
        let rows = try #require(document["checks"] as? [[String: Any]])
        #expect(
            rows.compactMap { $0["id"] as? String } == [
                "kfd_access", "render_access", "shm_size", "numa_balancing", "iommu_pt", "vram_in_use", "memlock",
                "cache_disk", "port_free", "hf_token", "visible_devices", "engine_import",
            ])
        for row in rows {
            #expect(Set(row.keys) == ["id", "status", "message", "fix"])
            #expect(["ok", "warn", "fail"].contains(row["status"] as? String ?? ""))
            #expect(row["message"] is String && row["fix"] is String)
        }
        let table = DoctorReportView.render(checks, format: .table)
        #expect(table.split(separator: "\n").count == 13)
        #expect(table.contains("fail  engine_import    ") && table.hasSuffix("11 ok, 0 warn, 1 fail\n"))
    }
}

/// AIM_HOST_ROOT and AIM_PREFLIGHT as the loader reads them.
@Suite struct HostConfigurationTests {
    let loader = ConfigurationLoader(bundledProfileRoot: "/bundled/profiles", directoryExists: { _ in false })

    func load(_ environment: [String: String]) throws -> RuntimeConfiguration {
        try loader.load(ConfigurationInput(environment: environment), requireModel: false)
    }

    @Test func theHostRootDefaultsToTheHostAndCarriesSysfsAlong() throws {
        let plain = try load([:])
        #expect(plain.hostRoot == "/" && plain.sysfsPath == "/sys" && plain.preflight)
        let tree = try HostTree(machine: nil)
        let rooted = try load(["AIM_HOST_ROOT": tree.root])
        #expect(rooted.hostRoot == tree.root && rooted.sysfsPath == tree.root + "/sys")
        #expect(try load(["AIM_HOST_ROOT": tree.root, "AIM_SYSFS_PATH": "/elsewhere"]).sysfsPath == "/elsewhere")
        #expect(try load(["AIM_PREFLIGHT": "OFF"]).preflight == false)
    }

    @Test(arguments: [
        ("AIM_HOST_ROOT", "relative/dir"), ("AIM_HOST_ROOT", "/nonexistent/host"), ("AIM_PREFLIGHT", "maybe"),
    ])
    func badValuesAreConfigurationErrors(variable: String, value: String) throws {
        let error = try #require(throws: AIMError.self) { try load([variable: value]) }
        #expect(error.status == .configuration && error.message.contains(variable))
    }
}
