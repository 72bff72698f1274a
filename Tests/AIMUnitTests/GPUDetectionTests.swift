import AIMCore
import AIMGPU
import AIMTestSupport
import Foundation
import Testing

@Suite struct KFDTopologyTests {
    @Test func mi300xTimesEight() async throws {
        let gpus = try await sysfs("mi300x-8").read()
        #expect(gpus.count == 8)
        #expect(gpus.allSatisfy { $0.model == .mi300x && $0.deviceID == "0x74a1" && $0.gfxTarget == "gfx942" })
        #expect(gpus[0].vramTotalBytes == 206_141_652_992)
        #expect(gpus[0].vramUsedBytes == 0)
        #expect(gpus[0].computePartition == "SPX")
        #expect(gpus[0].locationID == "0000:47:00.0")
        #expect(gpus.map(\.index) == Array(0..<8))
    }

    @Test func cpxPartitionedMI300XShowsEachPartitionAndWarns() async throws {
        let gpus = try await sysfs("mi300x-cpx-8").read()
        #expect(gpus.count == 63)
        #expect(gpus.allSatisfy { $0.model == .mi300x && $0.computePartition == "CPX" })
        #expect(gpus[0].vramTotalBytes == nil)
        let report = try await GPUDetector(readers: [sysfs("mi300x-cpx-8")], environment: [:]).detect()
        #expect(report.warnings.contains { $0.contains("CPX compute partition mode") })
    }

    @Test func mi308xPartitionsReadTheirMemoryBanks() async throws {
        let gpus = try await sysfs("mi308x-cpx").read()
        #expect(gpus.count == 32)
        #expect(gpus[0].model == .mi308x)
        #expect(gpus[0].vramTotalBytes == 51_539_607_552)
        #expect(gpus[0].vramUsedBytes != nil)
        #expect(gpus[0].computePartition == "CPX")
    }

    @Test func mi210AndTheOtherInstinctModels() async throws {
        let mi210 = try await sysfs("mi210-8").read()
        #expect(mi210.count == 8 && mi210.allSatisfy { $0.model == .mi210 && $0.gfxTarget == "gfx90a" })
        #expect(Set(mi210.compactMap(\.locationID)).count == 8)
        let mi325x = try await sysfs("mi325x-4").read()
        #expect(mi325x.count == 4 && mi325x.allSatisfy { $0.model == .mi325x && $0.vramTotalBytes == 274_877_906_944 })
        let mi355x = try await sysfs("mi355x-1").read()
        #expect(mi355x.count == 1 && mi355x[0].model == .mi355x && mi355x[0].gfxTarget == "gfx950")
    }

    @Test func radeonAndUnknownBoardsDoNotCrash() async throws {
        let radeon = try await sysfs("radeon-rx7900xtx").read()
        #expect(radeon.count == 1 && radeon[0].model == .rx7900 && radeon[0].gfxTarget == "gfx1100")
        let vega = try await sysfs("vega10-drm").read()
        #expect(vega.count == 1)
        #expect(vega[0].model == .unknown && vega[0].deviceID == "0x6860" && vega[0].gfxTarget == nil)
        #expect(vega[0].vramTotalBytes == 8_573_157_376 && vega[0].vramUsedBytes == 1_490_378_752)
        #expect(vega[0].busyPercent == 4)
    }

    @Test func aCPUOnlyHostHasNoGPUAndAMissingTreeIsUnavailable() async throws {
        #expect(try await sysfs("cpu-only").read().isEmpty)
        let report = try await GPUDetector(readers: [sysfs("cpu-only")], environment: [:]).detect()
        #expect(report.source == nil)
        #expect(report.attemptSummary == "sysfs: found no GPU")
        await #expect(throws: GPUSourceUnavailable.self) { try await KFDTopologyReader(root: "/nonexistent").read() }
    }

    @Test(arguments: [(90402, "gfx942"), (90010, "gfx90a"), (90500, "gfx950"), (110000, "gfx1100"), (90008, "gfx908")])
    func gfxTargetsDecode(version: Int, name: String) {
        #expect(GFXTarget.name(fromVersion: version) == name)
    }

    @Test func toolSpellingsOfGFXTargetsNormalise() {
        #expect(GFXTarget.normalize("gfx9010") == "gfx90a")
        #expect(GFXTarget.normalize("gfx942") == "gfx942")
        #expect(GFXTarget.normalize("gfx1100") == "gfx1100")
        #expect(GPUDeviceTable.parseHex("0x74A1").map(GPUDeviceTable.model) == .mi300x)
        #expect(GPUDeviceTable.model(for: 0x7000) == .unknown)
    }
}

@Suite struct VisibleDevicesTests {
    let gpus: [GPUDevice]

    init() async throws {
        gpus = try await sysfs("mi210-8").read()
    }

    func visible(_ environment: [String: String]) throws -> [Int] {
        try VisibleDevices.filter(gpus, environment: environment).devices.map(\.index)
    }

    @Test func rocrFiltersFirstThenHIPIndexesIntoWhatIsLeft() throws {
        #expect(try visible(["ROCR_VISIBLE_DEVICES": "1,3,5"]) == [1, 3, 5])
        #expect(try visible(["ROCR_VISIBLE_DEVICES": "1,3,5", "HIP_VISIBLE_DEVICES": "0,2"]) == [1, 5])
        #expect(try visible(["HIP_VISIBLE_DEVICES": "7"]) == [7])
    }

    @Test func cudaCountsOnlyWhenHIPIsUnset() throws {
        #expect(try visible(["CUDA_VISIBLE_DEVICES": "2,3"]) == [2, 3])
        #expect(try visible(["CUDA_VISIBLE_DEVICES": "2,3", "HIP_VISIBLE_DEVICES": "4"]) == [4])
    }

    @Test func uuidsSelectByUniqueID() throws {
        let uuid = "GPU-" + gpus[3].uniqueID!.replacingOccurrences(of: "0x", with: "")
        #expect(try visible(["ROCR_VISIBLE_DEVICES": "\(uuid),0"]) == [3, 0])
    }

    @Test(arguments: [
        ["HIP_VISIBLE_DEVICES": "8"], ["ROCR_VISIBLE_DEVICES": "0,1", "HIP_VISIBLE_DEVICES": "2"],
        ["ROCR_VISIBLE_DEVICES": "abc"], ["HIP_VISIBLE_DEVICES": "1,,2"], ["HIP_VISIBLE_DEVICES": "1,1"],
        ["CUDA_VISIBLE_DEVICES": "GPU-deadbeef"],
    ])
    func badListsAreClearErrors(environment: [String: String]) {
        let error = #expect(throws: AIMError.self) { try visible(environment) }
        #expect(error?.status == .configuration)
        #expect(error.map { message in environment.keys.contains { message.message.contains($0) } } == true)
    }

    @Test func theCountSelectionUsesIsTheVisibleCount() async throws {
        let report = try await GPUDetector(readers: [sysfs("mi210-8")], environment: ["HIP_VISIBLE_DEVICES": "0,1"])
            .detect()
        #expect(report.gpus.count == 2 && report.detectedCount == 8)
        #expect(report.visibilityFilters == ["HIP_VISIBLE_DEVICES=0,1"])
    }
}

@Suite struct ToolReaderTests {
    @Test func rocmSMIOnAnMI250() async throws {
        let tools = ScriptedTools(outputs: ["rocm-smi": try ScriptedTools.fixture("rocm-smi-mi250-rocm6-wandb.json")])
        let gpus = try await RocmSMIToolReader(runner: tools).read()
        #expect(gpus.count == 1)
        #expect(gpus[0].model == .mi250x && gpus[0].deviceID == "0x740c" && gpus[0].gfxTarget == "gfx90a")
        #expect(gpus[0].locationID == "0000:29:00.0" && gpus[0].uniqueID == "0x1f9de0957d137942")
        #expect(gpus[0].busyPercent == 0 && gpus[0].vramTotalBytes == nil)
        let rocm5 = try await RocmSMIToolReader(
            runner: ScriptedTools(outputs: ["rocm-smi": try ScriptedTools.fixture("rocm-smi-mi250-rocm5-wandb.json")])
        ).read()
        #expect(rocm5.count == 2 && rocm5.allSatisfy { $0.model == .mi250x && $0.deviceID == "0x740c" })
        #expect(rocm5.map(\.busyPercent) == [10, 20])
    }

    @Test func rocmSMIOnARadeonWithVRAM() async throws {
        let tools = ScriptedTools(outputs: [
            "rocm-smi": try ScriptedTools.fixture("rocm-smi-rx7900xt-showproductname-showuse-showmeminfo-vram.json")
        ])
        let gpus = try await RocmSMIToolReader(runner: tools).read()
        #expect(gpus.count == 1 && gpus[0].model == .rx7900 && gpus[0].gfxTarget == "gfx1100")
        #expect(gpus[0].vramTotalBytes == 21_458_059_264 && gpus[0].vramUsedBytes == 27_856_896)
    }

    @Test func missingAndNAFieldsAreUnknownNotErrors() async throws {
        let sixEight = ScriptedTools(outputs: [
            "rocm-smi": try ScriptedTools.fixture("rocm-smi-rx6800x2-json-showmemuse.json")
        ])
        let gpus = try await RocmSMIToolReader(runner: sixEight).read()
        #expect(gpus.count == 2 && gpus.allSatisfy { $0.model == .unknown && $0.deviceID == nil })
        let na = ToolOutput(
            status: 0,
            stdout:
                #"{"card0": {"Device ID": "N/A", "GPU use (%)": "N/A", "Unique ID": "N/A", "Card Series": "AMD Instinct MI300X"}}"#,
            stderr: "")
        let byName = try await RocmSMIToolReader(runner: ScriptedTools(outputs: ["rocm-smi": na])).read()
        #expect(byName[0].model == .mi300x && byName[0].busyPercent == nil && byName[0].uniqueID == nil)
    }

    @Test func rocmSMIWithoutAGPUOrFailingIsUnavailable() async {
        let noGPU = ToolOutput(
            status: 0, stdout: "", stderr: "ERROR:root:Driver not initialized (amdgpu not found in modules)\n")
        let error = await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMIToolReader(runner: ScriptedTools(outputs: ["rocm-smi": noGPU])).read()
        }
        #expect(error?.reason.contains("Driver not initialized") == true)
        let failing = ToolOutput(status: 2, stdout: "", stderr: "usage: rocm-smi\n")
        await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMIToolReader(runner: ScriptedTools(outputs: ["rocm-smi": failing])).read()
        }
        let garbage = ToolOutput(status: 0, stdout: "WARNING: No JSON data to report", stderr: "")
        await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMIToolReader(runner: ScriptedTools(outputs: ["rocm-smi": garbage])).read()
        }
    }

    @Test func amdSMIStaticAndMetric() async throws {
        let tools = ScriptedTools(outputs: [
            "amd-smi static": try ScriptedTools.fixture("amd-smi-static-mi350x.json"),
            "amd-smi metric": try ScriptedTools.fixture("amd-smi-metric-w7700-usage.json"),
        ])
        let gpus = try await AMDSMIToolReader(runner: tools).read()
        #expect(gpus.count == 1)
        #expect(gpus[0].model == .mi350x && gpus[0].deviceID == "0x75a0" && gpus[0].gfxTarget == "gfx950")
        #expect(gpus[0].locationID == "0000:05:00.0" && gpus[0].busyPercent == 42)
        #expect(gpus[0].vramTotalBytes == nil)
    }

    @Test func amdSMIWrappedListAndSizesWithUnits() async throws {
        let wrapped = ToolOutput(
            status: 0,
            stdout:
                #"{"gpu_data": [{"gpu": 0, "asic": {"device_id": "0x74a1"}, "vram": {"size": {"value": 196592, "unit": "MB"}}, "partition": {"compute_partition": "cpx", "memory_partition": "NPS4"}}]}"#,
            stderr: "")
        let gpus = try await AMDSMIToolReader(runner: ScriptedTools(outputs: ["amd-smi static": wrapped])).read()
        #expect(gpus[0].model == .mi300x && gpus[0].vramTotalBytes == 196_592 * 1_048_576)
        #expect(gpus[0].computePartition == "CPX" && gpus[0].memoryPartition == "NPS4")
        let failing = ToolOutput(status: 1, stdout: "", stderr: "AMDSMI_STATUS_INIT_ERROR\n")
        await #expect(throws: GPUSourceUnavailable.self) {
            try await AMDSMIToolReader(runner: ScriptedTools(outputs: ["amd-smi static": failing])).read()
        }
    }
}

@Suite struct DRMMatchingTests {
    /// A copied tree often has only `card*/device`: it is matched by PCI address, or in order.
    @Test func cardDirectoriesEnrichWithoutRenderNodes() async throws {
        let tree = try TemporaryDirectory()
        let source = gpuFixtures + "/vega10-drm/sys"
        try FileManager.default.copyItem(atPath: source + "/class", toPath: tree.path + "/class")
        try FileManager.default.moveItem(
            atPath: tree.path + "/class/drm/renderD128", toPath: tree.path + "/class/drm/card0")
        let byOrder = try await KFDTopologyReader(root: tree.path).read()
        #expect(byOrder[0].vramTotalBytes == 8_573_157_376 && byOrder[0].busyPercent == 4)
        try tree.write("class/drm/card0/device/uevent", "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:19:00.0\n")
        try FileManager.default.createDirectory(
            atPath: tree.path + "/class/drm/card1/device", withIntermediateDirectories: true)
        try tree.write("class/drm/card1/device/vendor", "0x1002\n")
        let byAddress = try await KFDTopologyReader(root: tree.path).read()
        #expect(byAddress[0].locationID == "0000:19:00.0")
        #expect(byAddress[0].vramUsedBytes == 1_490_378_752)
    }
}
