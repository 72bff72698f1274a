import AIMTestSupport
import Foundation
import Testing

/// AMD's AIM Engine operator discovers an image's profiles with a Job (docs: shared operator contract):
/// `dry-run --format=json` as UID 65532 with every capability dropped, no GPU, both log levels at
/// CRITICAL, and here no network at all. It reads stdout and stderr together, takes the last JSON array,
/// and decodes element 0 with Go's strict types.
@Suite struct OperatorDiscoveryTests {
    static let binary = ReleaseBinaryTests.releaseBinary
    static let tools = ["/usr/bin/unshare", "/usr/bin/setpriv"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let root = getuid() == 0

    /// What the operator decodes; a number where a string is expected fails, as in Go.
    struct Result: Decodable {
        struct Profile: Decodable {
            struct Metadata: Decodable {
                let engine, gpu, precision, metric, type: String
                let gpu_count: Int32
            }

            let metadata: Metadata
            let env_vars: [String: String]
        }

        struct Model: Decodable {
            let name, source: String
            let size_gb: Double?
        }

        let filename: String
        let profile: Profile
        let models: [Model]
    }

    /// The operator's parse: the whole log as an array, or else the last `]` paired with each earlier `[`
    /// until the slice decodes as a non-empty array.
    static func results(in log: String) -> [Result]? {
        func decode(_ text: Substring) -> [Result]? {
            (try? JSONDecoder().decode([Result].self, from: Data(text.utf8))).flatMap { $0.isEmpty ? nil : $0 }
        }
        if let whole = decode(log[...]) { return whole }
        guard let close = log.lastIndex(of: "]") else { return nil }
        var end = close
        while let open = log[..<end].lastIndex(of: "[") {
            if let found = decode(log[open...close]) { return found }
            end = open
        }
        return nil
    }

    @Test func theParseIsAsStrictAsTheOperators() {
        let good =
            #"[{"filename": "f.yaml", "profile": {"metadata": {"engine": "vllm", "gpu": "MI300X", "precision": "fp16", "metric": "latency", "type": "general", "gpu_count": 1}, "env_vars": {"A": "1"}}, "models": [{"name": "m", "source": "hf://m", "size_gb": null}]}]"#
        #expect(Self.results(in: "INFO starting\n[] [ noise\n" + good + "\n")?.first?.filename == "f.yaml")
        #expect(
            Self.results(in: good.replacingOccurrences(of: #""A": "1""#, with: #""A": 1"#)) == nil,
            "a number for a string")
        #expect(Self.results(in: good.replacingOccurrences(of: #""gpu_count": 1"#, with: #""gpu_count": "1""#)) == nil)
        #expect(Self.results(in: "[]") == nil, "an empty array is no result")
    }

    @Test(
        .enabled(
            if: binary != nil && tools && root, "needs the release binary, unshare and setpriv, and root (CI has all)"),
        arguments: [
            ["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"],
            ["AIM_ID": "Qwen/Qwen3-32B", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "2", "AIM_METRIC": "throughput"],
            [
                "AIM_MODEL_ID": "org/any-model", "AIM_GPU_MODEL": "MI355X", "AIM_GPU_COUNT": "8",
                "AIM_PRECISION": "fp16",
            ],
        ])
    func discoveryRunsTheOperatorsWay(wishes: [String: String]) throws {
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "AIM_LOG_LEVEL": "CRITICAL",
            "AIM_LOG_LEVEL_ROOT": "CRITICAL",
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
        ].merging(wishes) { $1 }
        let started = Date()
        let outcome = try CLI.runProgram(
            "/usr/bin/unshare",
            [
                "--net", "/usr/bin/setpriv", "--reuid", "65532", "--regid", "65532", "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs", Self.binary!, "dry-run", "--format=json",
            ],
            environment: environment)
        let seconds = Date().timeIntervalSince(started)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(seconds < 5, "took \(seconds) s without a network")
        let results = try #require(
            Self.results(in: outcome.stderr + outcome.stdout), "log: \(outcome.stderr)\(outcome.stdout)")
        let first = results[0]
        #expect(first.profile.metadata.gpu == wishes["AIM_GPU_MODEL"])
        #expect(Int(first.profile.metadata.gpu_count) == Int(wishes["AIM_GPU_COUNT"]!))
        #expect(!first.models.isEmpty && first.models.allSatisfy { $0.size_gb == nil || $0.size_gb! >= 0 })
    }
}
