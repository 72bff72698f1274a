import AIMCore
import AIMGPU
import AIMTestSupport
import Foundation
import Testing

/// Real processes and libraries: the fallback chain, time-outs, dlopen and the CLI.
@Suite struct GPUSourceChainTests {
    let bin: TemporaryDirectory

    init() throws {
        bin = try TemporaryDirectory()
    }

    func tool(_ name: String, _ script: String) throws {
        try bin.writeExecutable(name, "#!/bin/sh\n" + script + "\n")
    }

    /// Tools that should answer get 600 s: under the full suite the sync tests hold the concurrency pool's
    /// threads for minutes, and a run's time limit keeps counting while its reads wait for one.
    @Test func aHungToolTimesOutAndTheNextSourceAnswers() async throws {
        try tool("rocm-smi", "exec sleep 600")
        let started = Date()
        let detector = GPUDetector(
            readers: [RocmSMIToolReader(runner: ProcessToolRunner(path: bin.path, timeout: 1)), sysfs("mi300x-8")],
            environment: [:])
        let report = try await detector.detect()
        // Far below the tool's 600 s; loose because an async test waits for a free pool thread under the full suite.
        #expect(Date().timeIntervalSince(started) < 500)
        #expect(report.source == .sysfs && report.gpus.count == 8)
        #expect(report.attempts.first?.skippedBecause == "rocm-smi did not answer within 1 s and was stopped")
    }

    @Test func eachToolFailureLeadsToTheNextSource() async throws {
        // As measured with real rocm-smi and no GPU: exit 0, nothing on stdout, the reason on stderr.
        try tool("rocm-smi", "echo 'ERROR:root:Driver not initialized (amdgpu not found in modules)' >&2; exit 0")
        try tool("amd-smi", "echo 'AMDSMI_STATUS_DRIVER_NOT_LOADED' >&2; exit 1")
        let runner = ProcessToolRunner(path: bin.path, timeout: 600)
        let readers = GPUDetector.readers(
            for: nil, sysfsRoot: gpuFixtures + "/mi325x-4/sys", tools: runner, libraryNames: ["libnot-rocm-smi.so"])
        let report = try await GPUDetector(readers: readers, environment: [:]).detect()
        #expect(report.source == .sysfs && report.model == .mi325x && report.gpus.count == 4)
        #expect(report.attempts.map(\.source) == [.rocmSMILibrary, .rocmSMI, .amdSMI, .sysfs])
        #expect(report.attemptSummary.contains("rocm-smi printed nothing: ERROR:root:Driver not initialized"))
        #expect(report.attemptSummary.contains("amd-smi static exited 1: AMDSMI_STATUS_DRIVER_NOT_LOADED"))
    }

    @Test func aRocmSMIOnPathIsRead() async throws {
        try tool("rocm-smi", "cat '\(gpuFixtures)/tools/rocm-smi-mi250-rocm6-wandb.json'")
        let readers = GPUDetector.readers(
            for: .rocmSMI, sysfsRoot: "/nonexistent", tools: ProcessToolRunner(path: bin.path, timeout: 600))
        let report = try await GPUDetector(readers: readers, environment: [:]).detect()
        #expect(report.source == .rocmSMI && report.model == .mi250x)
    }

    @Test func withoutTheLibraryTheDlopenSourceIsSkipped() async {
        let error = await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMILibraryReader(libraryNames: ["libnot-rocm-smi.so"], deviceNode: "/dev/null").read()
        }
        #expect(error?.reason == "librocm_smi64.so is not installed")
    }

    /// No machine here has an AMD GPU: the installed library (if any) must fail cleanly in rsmi_init.
    /// `/dev/null` stands in for /dev/kfd so that the library is really loaded and initialised.
    @Test func theRealLibraryIsSkippedCleanlyWithoutAGPU() async {
        let error = await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMILibraryReader(deviceNode: "/dev/null").read()
        }
        #expect(error?.reason.contains("not installed") == true || error?.reason.contains("rsmi_init returned") == true)
        let withoutDevice = await #expect(throws: GPUSourceUnavailable.self) {
            try await RocmSMILibraryReader(deviceNode: "/nonexistent/kfd").read()
        }
        #expect(withoutDevice?.reason.contains("does not exist") == true)
    }

    static let realRocmSMI = FileManager.default.isExecutableFile(atPath: "/usr/bin/rocm-smi")

    @Test(.enabled(if: realRocmSMI, "rocm-smi is not installed here; .ci/run installs it from Debian"))
    func theRealRocmSMIWithoutAGPUIsSkipped() async {
        let reader = RocmSMIToolReader(runner: ProcessToolRunner(path: "/usr/bin", timeout: 600))
        let error = await #expect(throws: GPUSourceUnavailable.self) { try await reader.read() }
        #expect(error?.reason.hasPrefix("rocm-smi printed nothing") == true, "\(error?.reason ?? "")")
    }

    @Test func gpusJSONIsTheDocumentedContract() throws {
        let outcome = try CLI.run(
            ["gpus", "--format", "json"],
            environment: [
                "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/mi300x-8/sys",
                "HIP_VISIBLE_DEVICES": "0,1,2,3",
            ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(
            report["source"] as? String == "sysfs" && report["count"] as? Int == 4
                && report["model"] as? String == "MI300X")
        let gpus = try #require(report["gpus"] as? [[String: Any]])
        #expect(
            Set(gpus[0].keys).isSuperset(of: [
                "index", "device_id", "model", "gfx_target", "vram_total_bytes", "vram_used_bytes", "busy_percent",
                "compute_partition", "memory_partition", "location_id", "unique_id",
            ]))
        #expect(gpus[0]["busy_percent"] is NSNull)
        #expect(gpus[0]["vram_total_bytes"] as? Int == 206_141_652_992)
    }

    @Test func selectUsesDetectedGPUsAndTheVisibleCount() throws {
        let environment = [
            "AIM_ID": "CohereLabs/command-a-reasoning-08-2025", "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
            "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/mi300x-8/sys",
        ]
        let eight = try CLI.run(["select", "--format", "json"], environment: environment)
        #expect(eight.stdout.contains("\"id\": \"vllm-mi300x-fp16-tp8-latency\""), "\(eight.stderr)")
        #expect(eight.stdout.contains("\"source\": \"sysfs\""))
        let four = try CLI.run(
            ["select", "--format", "json"], environment: environment.merging(["ROCR_VISIBLE_DEVICES": "4,5,6,7"]) { $1 }
        )
        #expect(four.stdout.contains("\"id\": \"vllm-mi300x-fp16-tp4-latency\""), "\(four.stderr)")
    }

    @Test func selectWithNoGPUFailsNamingTheGPUAndTheSources() throws {
        let outcome = try CLI.run(
            ["select"],
            environment: [
                "AIM_ID": "org/model", "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/cpu-only/sys",
            ])
        #expect(outcome.status == 5)
        #expect(outcome.stderr.contains("no AMD GPU found; tried sysfs: found no GPU"))
        #expect(outcome.stderr.contains("AIM_GPU_MODEL"))
        let gpus = try CLI.run(
            ["gpus"], environment: ["AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/cpu-only/sys"])
        #expect(gpus.status == 5 && gpus.stdout.hasPrefix("No AMD GPU found."))
    }

    @Test func aBadVisibilityListExitsTwo() throws {
        let outcome = try CLI.run(
            ["gpus"],
            environment: [
                "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/mi300x-8/sys", "HIP_VISIBLE_DEVICES": "9",
            ])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("HIP_VISIBLE_DEVICES='9'"))
    }
}
