import AIMTestSupport
import Foundation
import Testing

/// Odd, hostile and slow answers from a Hub or S3 server (Tests/Servers/fault_hub.py), through the CLI.
@Suite struct StoreServerFaultTests {
    let server: LocalServer
    let cache: TemporaryDirectory

    init() throws {
        server = try LocalServer(["python3", CLI.packageRoot + "/Tests/Servers/fault_hub.py"])
        cache = try TemporaryDirectory()
    }

    func download(
        _ model: String, _ environment: [String: String] = [:]
    ) throws -> (outcome: CLI.Outcome, seconds: Double) {
        let start = ContinuousClock.now
        let outcome = try CLI.run(
            ["download-to-cache", "--model-id", model],
            environment: [
                "HF_ENDPOINT": server.url, "AWS_ENDPOINT_URL": server.url + "/s3", "AIM_CACHE_PATH": cache.path,
            ].merging(environment) { $1 })
        let elapsed = ContinuousClock.now - start
        return (outcome, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test func aPrivateRepositoryAskedWithoutATokenNeedsAToken() throws {
        let (outcome, _) = try download("faults/private")
        #expect(outcome.status == 8)
        StoreHostileInputTests.expectOneErrorLine(outcome, naming: ["this model needs a token: set HF_TOKEN"])
        #expect(try download("faults/private", ["HF_TOKEN": "hf_good_token"]).outcome.status == 0)
        let rejected = try download("faults/private", ["HF_TOKEN": "hf_wrong"]).outcome
        #expect(rejected.status == 9)
        #expect(!rejected.stderr.contains("hf_wrong"))
    }

    @Test(arguments: [("faults/badsize", "size"), ("faults/hugesize", "size"), ("faults/huge", "larger than 32 MiB")])
    func unusableNumbersAndSizesAreAnswerErrors(_ repo: String, _ words: String) throws {
        let (outcome, seconds) = try download(repo)
        #expect(outcome.status == 6, "\(outcome.stderr)")
        StoreHostileInputTests.expectOneErrorLine(outcome, naming: [words])
        #expect(seconds < 10)
        #expect(
            !FileManager.default.fileExists(
                atPath: cache.path + "/hub/models--" + repo.replacingOccurrences(of: "/", with: "--") + "/snapshots"))
    }

    @Test func anInfiniteRetryAfterIsRetriedWithoutATrap() throws {
        let (outcome, seconds) = try download("faults/retry-inf")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("HTTP 503"))
        #expect(seconds < 10)
    }

    /// A listing that trickles a byte at a time (which the stall limit never sees) or falls silent after its head.
    @Test(.timeLimit(.minutes(2)), arguments: ["faults/trickle", "faults/silent"])
    func aListingThatNeverEndsEndsWithinItsDeadline(_ repo: String) throws {
        let (outcome, seconds) = try download(repo)
        #expect(outcome.status == 6)
        StoreHostileInputTests.expectOneErrorLine(outcome, naming: [repo, "did not arrive whole within"])
        #expect(seconds < 90, "\(seconds) s")
    }

    @Test func anS3ETagWrittenWithNumericReferencesIsCheckedAsAnMD5() throws {
        let (outcome, _) = try download("s3://numeric-etag/m/org/model")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let manifest = try String(contentsOfFile: cache.path + "/org/model/.aim-manifest.json", encoding: .utf8)
        let weights = try Data(contentsOf: URL(fileURLWithPath: cache.path + "/org/model/weights.bin"))
        #expect(weights.count == 3000)
        #expect(!manifest.contains("&#") && !manifest.contains("\\\""), "\(manifest)")
        #expect(manifest.contains("\"etag\": \"") && !manifest.contains("\"etag\": null"), "\(manifest)")
    }

    @Test func aCorruptedByteInASinglePartS3ObjectIsCaught() throws {
        let (outcome, _) = try download("s3://corrupt/m/org/model")
        #expect(outcome.status == 6)
        StoreHostileInputTests.expectOneErrorLine(outcome, naming: ["weights.bin", "md5"])
        #expect(!FileManager.default.fileExists(atPath: cache.path + "/org/model/weights.bin"))
    }

    @Test(arguments: ["badsize", "bigsize"])
    func anS3SizeThatIsNotAByteCountIsAnAnswerError(_ bucket: String) throws {
        let (outcome, _) = try download("s3://\(bucket)/m/org/model")
        #expect(outcome.status == 6)
        StoreHostileInputTests.expectOneErrorLine(outcome, naming: ["config.json", "not a byte count"])
    }

    @Test func dryRunGivesUpOnATricklingHubWithinItsBound() throws {
        let profiles = try TemporaryDirectory()
        try profiles.write(
            "faults/trickle/vllm-mi300x-fp16-tp1-latency.yaml",
            ProfileFixture.yaml(aimID: "faults/trickle", modelID: "faults/trickle"))
        let start = ContinuousClock.now
        let outcome = try CLI.run(
            ["dry-run", "--format", "json"],
            environment: [
                "AIM_PROFILE_BASE_PATH": profiles.path, "AIM_ID": "faults/trickle", "AIM_GPU_MODEL": "MI300X",
                "AIM_GPU_COUNT": "1",
                "HF_ENDPOINT": server.url, "AIM_CACHE_PATH": cache.path,
            ])
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\"size_gb\": null"), "\(outcome.stdout)")
    }

    @Test func anS3ListingThatNeverEndsStopsAtItsPageLimit() throws {
        let (outcome, seconds) = try download("s3://endless/m/org/model")
        #expect(outcome.status == 6)
        StoreHostileInputTests.expectOneErrorLine(
            outcome, naming: ["s3://endless/m/org/model", "goes on past", "200 pages"])
        #expect(seconds < 30)
    }
}
