import AIMCommands
import AIMConfiguration
import AIMCore
import AIMReports
import AIMTestSupport
import Foundation
import Testing

/// Commands run through AIMCommands with a fake environment and captured output, as the binary would
/// run them but without spawning it: the exit status, stdout and the one `error:` line.
@Suite struct InProcessCommandTests {
    let root: TemporaryDirectory
    var base: [String: String] {
        ["AIM_PROFILE_BASE_PATH": root.path, "AIM_ID": "org/model", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"]
    }

    init() throws {
        root = try TemporaryDirectory()
        try root.write(
            "org/model/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml(envVars: "  HF_TOKEN: 'hf_secret'\n"))
        try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        try root.write("custom/broken.yaml", "metadata: [unclosed\n")
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func listProfilesMarksTheChoiceAndListsTheInvalidFile() async throws {
        let outcome = await CommandHarness(environment: base).run(ListProfilesCommand(format: .json))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let listing = try json(outcome.stdout)
        #expect(listing["selected"] as? String == "vllm-mi300x-fp16-tp1-latency")
        let states = (listing["profiles"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
        #expect(states.contains("invalid") && states.contains("compatible"))
        // The broken file is a warning in the log, not the command's error.
        #expect(outcome.stderr.contains("WARNING - Skipping invalid profile: custom/broken.yaml"), "\(outcome.stderr)")
        #expect(!outcome.stderr.split(separator: "\n").contains { $0.hasPrefix("error:") })
    }

    @Test func selectDryRunJSONIsThePlanWithSecretsHidden() async throws {
        let outcome = await CommandHarness(environment: base).run(SelectCommand(format: .json))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let plan = try json(outcome.stdout)
        #expect((plan["profile"] as? [String: Any])?["id"] as? String == "vllm-mi300x-fp16-tp1-latency")
        #expect((plan["env"] as? [String: String])?["HF_TOKEN"] == "***")
        #expect(((plan["model"] as? [String: Any])?["cache"] as? [String: Any])?["state"] as? String == "missing")
        #expect(!outcome.stderr.split(separator: "\n").contains { $0.hasPrefix("error:") })
    }

    @Test func selectJSONFailurePrintsTheErrorDocumentAndOneLine() async throws {
        let outcome = await CommandHarness(environment: base.merging(["AIM_PORT": "70000"]) { $1 }).run(
            SelectCommand(format: .json))
        #expect(outcome.status == 2)
        let error = try #require(try json(outcome.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "configuration_error" && error["exit_code"] as? Int == 2)
        #expect(outcome.stderr == "error: AIM_PORT='70000' is not valid: expected a port number from 1 to 65535\n")
    }

    @Test func aFlagBeatsItsVariable() async throws {
        let outcome = await CommandHarness(environment: base).run(
            SelectCommand(format: .json, overrides: [.port: "9001"]))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\"9001\""))
    }

    @Test func validateProfilesOnABadProfileExitsFourWithOneLine() async throws {
        let outcome = await CommandHarness(environment: base).run(
            ValidateProfilesCommand(paths: [root.path + "/custom/broken.yaml"]))
        #expect(outcome.status == 4)
        #expect(
            outcome.stdout.hasPrefix("invalid  ") && outcome.stdout.hasSuffix("0 valid, 1 invalid\n"),
            "\(outcome.stdout)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(
            lines.count == 1 && lines[0].hasPrefix("error: 1 of 1 profile files are invalid; the first: "),
            "\(outcome.stderr)")
    }

    @Test func validateProfilesOnAMissingPathIsAConfigurationError() async throws {
        let outcome = await CommandHarness(environment: base).run(
            ValidateProfilesCommand(paths: [root.path + "/nowhere.yaml"]))
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(
            outcome.stderr.hasPrefix("error: validate-profiles: '")
                && outcome.stderr.hasSuffix("pass profile files or directories\n"))
    }

    @Test func gpusReadsASysfsFixture() async throws {
        let harness = CommandHarness(environment: [
            "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/mi300x-8/sys",
        ])
        let outcome = await harness.run(GPUsCommand(format: .json))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(
            report["source"] as? String == "sysfs" && report["count"] as? Int == 8
                && report["model"] as? String == "MI300X")
    }

    @Test func gpusWithNoGPUKeepsTheReportAndExitsFive() async throws {
        let harness = CommandHarness(environment: [
            "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": gpuFixtures + "/cpu-only/sys",
        ])
        let outcome = await harness.run(GPUsCommand())
        #expect(outcome.status == 5)
        #expect(outcome.stdout.hasPrefix("No AMD GPU found."))
        #expect(outcome.stderr.hasPrefix("error: no AMD GPU found; tried sysfs: found no GPU"), "\(outcome.stderr)")
    }

    /// Logs go to the context's stderr at the configured level, never to stdout.
    @Test func logsFollowTheConfiguredLevelOnTheErrorSink() async throws {
        let quiet = await CommandHarness(environment: base).run(SelectCommand(format: .json))
        #expect(!quiet.stderr.contains("Ranked candidates"))
        let debug = await CommandHarness(environment: base.merging(["AIM_LOG_LEVEL": "DEBUG"]) { $1 }).run(
            SelectCommand(format: .json))
        #expect(debug.status == 0)
        #expect(debug.stderr.contains("aim_runtime.selection - DEBUG - Ranked candidates"), "\(debug.stderr)")
        #expect(try json(debug.stdout)["profile"] != nil)
    }

    /// The operator sizes its cache volume from size_gb: a cached model's size comes from the disk, with no
    /// network (HF_HUB_OFFLINE would otherwise leave it null).
    @Test func dryRunJSONTakesTheSizeOfACachedModelFromTheDisk() async throws {
        let cache = try TemporaryDirectory()
        let blob = try cache.write("hub/models--org--model/blobs/0123abcd", "")
        #expect(truncate(blob, 3 << 29) == 0)  // 1.5 GiB, sparse
        try cache.write("hub/models--org--model/refs/main", "0123456789abcdef0123456789abcdef01234567")
        let environment = base.merging(["AIM_CACHE_PATH": cache.path, "HF_HUB_OFFLINE": "1"]) { $1 }
        let outcome = await CommandHarness(environment: environment).run(DryRunCommand(format: .json))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\"size_gb\": 1.5"), "\(outcome.stdout)")
        let offline = await CommandHarness(environment: base.merging(["HF_HUB_OFFLINE": "1"]) { $1 })
            .run(DryRunCommand(format: .json))
        #expect(offline.stdout.contains("\"size_gb\": null"), "\(offline.stdout)")
    }

    @Test func cacheVerifyOfAModelNotCachedIsExitSeven() async throws {
        let cache = try TemporaryDirectory()
        let outcome = await CommandHarness(environment: ["AIM_CACHE_PATH": cache.path]).run(
            CacheVerifyCommand(reference: "org/absent"))
        #expect(outcome.status == 7)
        #expect(outcome.stderr.hasPrefix("error: 'org/absent' is not in the cache at "))
    }
}
