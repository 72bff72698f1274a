import AIMTestSupport
import Foundation
import Testing

/// Hostile settings and server answers for the model store, through the CLI: each ends with the
/// documented exit code, one `error:` line that names the input, and within its time bound.
@Suite struct StoreHostileInputTests {
    let cache: TemporaryDirectory

    init() throws {
        cache = try TemporaryDirectory()
    }

    /// Runs the CLI and checks the shape every failure must have; returns the outcome and the seconds it took.
    func run(_ arguments: [String], _ environment: [String: String]) throws -> (outcome: CLI.Outcome, seconds: Double) {
        let start = ContinuousClock.now
        let outcome = try CLI.run(arguments, environment: ["AIM_CACHE_PATH": cache.path].merging(environment) { $1 })
        let elapsed = ContinuousClock.now - start
        return (outcome, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func expectOneErrorLine(
        _ outcome: CLI.Outcome, naming words: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(outcome.stderr)", sourceLocation: sourceLocation)
        for word in words {
            #expect(
                errors.first?.contains(word) == true, "\(word) in \(outcome.stderr)", sourceLocation: sourceLocation)
        }
        for raw in [
            "HTTPClientError", "NIOTooManyBytesError", "NSCocoaErrorDomain", "Error Domain", "IOError",
            "NIOConnectionError", "Fatal error",
        ] {
            #expect(!outcome.stderr.contains(raw), "\(raw) in \(outcome.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        "huggingface.co", "ftp://huggingface.co", "http://", "https:///path", "file:///etc", "http://exa mple.com",
        "::::", "http://host:99999",
    ])
    func aWrongHubEndpointIsAConfigurationError(_ endpoint: String) throws {
        let (outcome, seconds) = try run(["download-to-cache", "--model-id", "org/model"], ["HF_ENDPOINT": endpoint])
        #expect(outcome.status == 2)
        Self.expectOneErrorLine(outcome, naming: ["HF_ENDPOINT"])
        #expect(seconds < 2)
    }

    @Test(arguments: ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"])
    func aWrongS3EndpointIsAConfigurationError(_ variable: String) throws {
        let (outcome, seconds) = try run(
            ["download-to-cache", "--model-id", "s3://bucket/org/model"], [variable: "localhost:9000"])
        #expect(outcome.status == 2)
        Self.expectOneErrorLine(outcome, naming: [variable])
        #expect(seconds < 2)
    }

    @Test func aCachePathThatIsAFileIsAConfigurationError() throws {
        let file = try cache.write("not-a-directory", "x")
        for arguments in [["download-to-cache", "--model-id", "org/model"], ["cache", "list"], ["cache", "verify"]] {
            let (outcome, _) = try run(arguments, ["AIM_CACHE_PATH": file, "HF_ENDPOINT": "http://127.0.0.1:9"])
            #expect(outcome.status == 2, "\(arguments)")
            Self.expectOneErrorLine(outcome, naming: ["AIM_CACHE_PATH"])
        }
        let below = try run(["download-to-cache", "--model-id", "org/model"], ["AIM_CACHE_PATH": file + "/sub/cache"])
        #expect(below.outcome.status == 2)
        Self.expectOneErrorLine(below.outcome, naming: ["AIM_CACHE_PATH", "not a directory"])
    }

    @Test func aRefusedHostFailsFastNamingTheHostAndTheVariable() throws {
        // Port 9 (discard) on the loopback: nothing listens there, so the connection is refused.
        let (outcome, seconds) = try run(
            ["download-to-cache", "--model-id", "org/model"], ["HF_ENDPOINT": "http://127.0.0.1:9"])
        #expect(outcome.status == 6)
        Self.expectOneErrorLine(outcome, naming: ["127.0.0.1:9", "HF_ENDPOINT", "refused"])
        #expect(seconds < 2)
        #expect(!outcome.stderr.contains("retrying"))
    }

    @Test func anUnresolvableHostFailsFast() throws {
        let (outcome, seconds) = try run(
            ["download-to-cache", "--model-id", "s3://bucket/org/model"],
            ["AWS_ENDPOINT_URL": "http://no-such-host.invalid:9000"])
        #expect(outcome.status == 6)
        Self.expectOneErrorLine(outcome, naming: ["no-such-host.invalid", "AWS_ENDPOINT_URL", "resolved"])
        #expect(seconds < 2)
    }

    @Test func dryRunGivesNoSizeQuicklyWhenTheHubIsUnreachable() throws {
        let profiles = try TemporaryDirectory()
        try profiles.write("org/model/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml())
        let environment = [
            "AIM_PROFILE_BASE_PATH": profiles.path, "AIM_ID": "org/model", "AIM_GPU_MODEL": "MI300X",
            "AIM_GPU_COUNT": "1",
        ]
        for endpoint in ["http://127.0.0.1:9", "http://no-such-host.invalid"] {
            let (outcome, seconds) = try run(
                ["dry-run", "--format", "json"], environment.merging(["HF_ENDPOINT": endpoint]) { $1 })
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("\"size_gb\": null"), "\(outcome.stdout)")
            #expect(seconds < 2, "\(endpoint): \(seconds) s")
        }
        let (wrong, _) = try run(
            ["dry-run", "--format", "json"], environment.merging(["HF_ENDPOINT": "huggingface.co"]) { $1 })
        #expect(wrong.status == 2)
        Self.expectOneErrorLine(wrong, naming: ["HF_ENDPOINT"])
    }

    @Test func aLocalModelPathThatIsTheWholeMachineIsRefusedQuickly() throws {
        let (outcome, seconds) = try run(["download-to-cache", "--model-id", "/"], [:])
        #expect(outcome.status == 2)
        Self.expectOneErrorLine(outcome, naming: ["'/'"])
        #expect(seconds < 6)
    }

    @Test func cacheVerifyReportsLinksThatLeadNowhereInBothLayouts() throws {
        let repo = cache.path + "/hub/models--org--loop"
        try FileManager.default.createDirectory(atPath: repo + "/snapshots/abc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repo + "/blobs", withIntermediateDirectories: true)
        #expect(symlink("config.json", repo + "/snapshots/abc/config.json") == 0)  // a link to itself
        #expect(symlink("../../blobs/gone", repo + "/snapshots/abc/model.bin") == 0)
        #expect(mkfifo(repo + "/blobs/fifo", 0o644) == 0)
        let flat = cache.path + "/org/flat"
        _ = try cache.write(
            "org/flat/.aim-manifest.json",
            #"{"source": "hf://org/flat@abc", "files": [{"path": "a.bin", "size": 1, "etag": null}]}"#)
        #expect(symlink("a.bin", flat + "/a.bin") == 0)
        let start = ContinuousClock.now
        let (outcome, _) = try run(["cache", "verify"], [:])
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(outcome.status == 6)
        #expect(!outcome.stdout.contains("ok "), "\(outcome.stdout)")
        for expected in [
            "corrupt  hf://org/loop", "snapshots/abc/config.json: a symbolic link loop",
            "model.bin: a dangling symbolic link",
            "blobs/fifo: a FIFO", "corrupt  hf://org/flat@abc", "org/flat/a.bin: a symbolic link loop",
        ] {
            #expect(outcome.stdout.contains(expected), "\(expected) in \(outcome.stdout)")
        }
        Self.expectOneErrorLine(outcome, naming: ["corrupt", "first: "])
        let again = try run(["cache", "verify", "org/loop"], [:]).outcome
        #expect(again.status == 0 && again.stdout.contains("ok       hf://org/loop"), "\(again.stdout)")
    }

    @Test func aTokenWithANewlineIsRefusedWithoutEchoingIt() throws {
        let (outcome, seconds) = try run(
            ["download-to-cache", "--model-id", "org/model"],
            ["HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": "hf_secret\r\nX-Evil: 1"])
        #expect(outcome.status == 2)
        Self.expectOneErrorLine(outcome, naming: ["HF_TOKEN"])
        #expect(!outcome.stderr.contains("hf_secret"))
        #expect(seconds < 2)
        let (s3, _) = try run(
            ["download-to-cache", "--model-id", "s3://bucket/org/model"],
            ["AWS_ACCESS_KEY_ID": "AKIA\nX", "AWS_SECRET_ACCESS_KEY": "s"])
        #expect(s3.status == 2)
        Self.expectOneErrorLine(s3, naming: ["AWS_ACCESS_KEY_ID"])
    }
}
