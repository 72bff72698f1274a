import AIMCore
import AIMModelStore
import AIMTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Downloads from the tests' fault-injecting Hub server (Tests/Servers/fault_hub.py), through the CLI.
@Suite(.serialized) struct HubDownloadTests {
    let hub: LocalServer
    let cache: TemporaryDirectory
    static let commit = "0123456789abcdef0123456789abcdef01234567"

    init() throws {
        hub = try LocalServer(["python3", CLI.packageRoot + "/Tests/Servers/fault_hub.py"])
        cache = try TemporaryDirectory()
    }

    func download(_ model: String, _ extra: [String: String] = [:], arguments: [String] = []) throws -> CLI.Outcome {
        try CLI.run(
            ["download-to-cache", "--model-id", model] + arguments,
            environment: [
                "HF_ENDPOINT": hub.url, "AIM_CACHE_PATH": cache.path, "AIM_DOWNLOAD_CHUNK_MIB": "1",
            ].merging(extra) { $1 })
    }

    func stats() throws -> [String: [String: Int]] {
        let data = try LocalServer.get(hub.url + "/_stats")
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: [String: Int]])
    }

    func snapshot(_ repo: String) -> String {
        cache.path + "/hub/models--" + repo.replacingOccurrences(of: "/", with: "--") + "/snapshots/" + Self.commit
    }

    /// What the server serves for a file, to compare with what landed in the cache.
    func expected(_ repo: String, _ file: String) throws -> Data {
        try LocalServer.get("\(hub.url)/\(repo)/resolve/main/\(file)")
    }

    @Test func writesTheHubCacheLayoutAndSkipsDuplicateWeights() throws {
        let outcome = try download("org/tiny")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == snapshot("org/tiny") + "\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: snapshot("org/tiny")).sorted()
        #expect(files == ["config.json", "model.safetensors", "tokenizer.json"])
        let link = try FileManager.default.destinationOfSymbolicLink(
            atPath: snapshot("org/tiny") + "/model.safetensors")
        #expect(link.hasPrefix("../../blobs/") && link.count == "../../blobs/".count + 64)
        #expect(
            try String(contentsOfFile: cache.path + "/hub/models--org--tiny/refs/main", encoding: .utf8) == Self.commit)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: snapshot("org/tiny") + "/model.safetensors"))
                == expected("org/tiny", "model.safetensors"))
        let ranged = try stats()["ranges"]?["org/tiny/model.safetensors"] ?? 0
        #expect(ranged >= 4, "a 3 MiB file in 1 MiB chunks is fetched as parallel ranges")
        let before = try stats()["downloads"]
        #expect(try download("org/tiny").status == 0)
        #expect(try stats()["downloads"] == before, "a cached model downloads nothing")
    }

    @Test(arguments: ["faults/flaky", "faults/ratelimited", "faults/drop", "faults/norange", "faults/corrupt-once"])
    func transientFaultsAreRetriedIntoAVerifiedCache(repo: String) throws {
        let outcome = try download(repo)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: snapshot(repo) + "/model.safetensors"))
                == expected(repo, "model.safetensors"))
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: cache.path + "/hub/models--" + repo.replacingOccurrences(of: "/", with: "--") + "/blobs"
        )
        .filter { $0.contains(".incomplete") }
        #expect(leftovers.isEmpty)
    }

    @Test func anExpiredCDNLinkIsRenewed() throws {
        let outcome = try download("faults/expiring")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("expired (HTTP 403); asking the Hub for a new one"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: snapshot("faults/expiring") + "/model.safetensors"))
                == expected("faults/expiring", "model.safetensors"))
    }

    @Test func aStalledTransferIsAbortedAndRetried() throws {
        let started = Date()
        let outcome = try download("faults/stall", ["AIM_DOWNLOAD_STALL_SECONDS": "1"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(outcome.stderr.contains("stalled"))
    }

    @Test func aChecksumThatFailsTwiceIsFatalAndLeavesNothingBehind() throws {
        let outcome = try download("faults/badsha")
        #expect(outcome.status == 6)
        #expect(outcome.stderr.contains("failed its sha256") && outcome.stderr.contains("twice"))
        let blobs = try FileManager.default.contentsOfDirectory(
            atPath: cache.path + "/hub/models--faults--badsha/blobs")
        #expect(!blobs.contains { $0.count == 64 } && !blobs.contains { $0.hasSuffix(".incomplete") })
        #expect(!FileManager.default.fileExists(atPath: snapshot("faults/badsha")))
    }

    @Test func accessProblemsHaveDistinctCodesAndNoToken() throws {
        let gated = try download("faults/gated")
        #expect(gated.status == 8 && gated.stderr.contains("gated") && gated.stderr.contains("HF_TOKEN"))
        let notGranted = try download("faults/gated", ["HF_TOKEN": "hf_good_token"])
        #expect(notGranted.status == 10 && notGranted.stderr.contains("accept the licence"))
        let rejected = try download("org/tiny", ["HF_TOKEN": "hf_wrong_secret"])
        #expect(rejected.status == 9 && rejected.stderr.contains("rejected the token"))
        #expect(!rejected.stderr.contains("hf_wrong_secret"))
        let missing = try download("faults/missing")
        #expect(missing.status == 7 && missing.stderr.contains("does not exist"))
        let revision = try download("org/tiny@nope")
        #expect(revision.status == 7 && revision.stderr.contains("no revision 'nope'"))
        let scheme = try download("gs://bucket/model")
        #expect(scheme.status == 2 && scheme.stderr.contains("scheme 'gs' is not supported"))
    }

    @Test func theTokenFileIsUsedAndNeverSentToTheCDN() throws {
        let home = try TemporaryDirectory()
        try home.write("token", "hf_good_token\n")
        // The fault server answers 400 if the CDN redirect target receives the token.
        let outcome = try download("org/withtoken", ["HF_HOME": home.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func killedMidDownloadThenRestartedResumesToAnIdenticalCache() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["download-to-cache", "--model-id", "faults/slow"]
        process.environment = [
            "HF_ENDPOINT": hub.url, "AIM_CACHE_PATH": cache.path, "AIM_DOWNLOAD_CHUNK_MIB": "1",
            "AIM_DOWNLOAD_CONNECTIONS": "1", "AIM_DOWNLOAD_MAX_CONNECTIONS": "1", "PATH": "/usr/bin:/bin",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_200_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let blobs = cache.path + "/hub/models--faults--slow/blobs"
        let partial = try FileManager.default.contentsOfDirectory(atPath: blobs)
        #expect(partial.contains { $0.hasSuffix(".incomplete") }, "the kill left a partial file under a temporary name")
        #expect(!FileManager.default.fileExists(atPath: snapshot("faults/slow") + "/model.safetensors"))
        let sentBefore = try stats()["bytes"]?["faults/slow/model.safetensors"] ?? 0
        let outcome = try download("faults/slow", ["AIM_DOWNLOAD_CONNECTIONS": "1"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let sentAfter = try stats()["bytes"]?["faults/slow/model.safetensors"] ?? 0
        let size = try expected("faults/slow", "model.safetensors").count
        #expect(sentAfter - sentBefore < size, "the restart fetched only the missing chunks")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: snapshot("faults/slow") + "/model.safetensors"))
                == expected("faults/slow", "model.safetensors"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs).allSatisfy { !$0.contains(".incomplete") })
    }

    @Test func twoConcurrentDownloadersShareOneResult() throws {
        func start() throws -> (Process, Pipe) {
            let process = Process()
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["download-to-cache", "--model-id", "faults/slow"]
            process.environment = [
                "HF_ENDPOINT": hub.url, "AIM_CACHE_PATH": cache.path, "AIM_DOWNLOAD_CHUNK_MIB": "1",
                "PATH": "/usr/bin:/bin",
            ]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            return (process, output)
        }
        let first = try start()
        let second = try start()
        let outputs = [first, second].map { process, pipe -> String in
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return text
        }
        #expect(outputs[0] == outputs[1] && outputs[0] == snapshot("faults/slow") + "\n")
        let sent = try stats()["bytes"]?["faults/slow/model.safetensors"] ?? 0
        let size = try expected("faults/slow", "model.safetensors").count
        #expect(sent <= size + size / 4, "the second downloader reused the first one's files")
    }

    @Test func offlineModeUsesOnlyTheCache() throws {
        let before = try download("org/offline", ["HF_HUB_OFFLINE": "1"])
        #expect(before.status == 7 && before.stderr.contains("HF_HUB_OFFLINE"))
        #expect(try download("org/offline").status == 0)
        let after = try download("org/offline", ["HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:1"])
        #expect(after.status == 0 && after.stdout == snapshot("org/offline") + "\n")
    }

    @Test func aPlantedCorruptBlobIsFoundAndFetchedAgain() throws {
        #expect(try download("org/planted").status == 0)
        let file = snapshot("org/planted") + "/model.safetensors"
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        try handle.seek(toOffset: 1000)
        try handle.write(contentsOf: Data([0x42]))
        try handle.close()
        let verify = try CLI.run(["cache", "verify", "org/planted"], environment: ["AIM_CACHE_PATH": cache.path])
        #expect(verify.status == 6 && verify.stdout.contains("corrupt"))
        #expect(try download("org/planted").status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == expected("org/planted", "model.safetensors"))
        let again = try CLI.run(["cache", "verify"], environment: ["AIM_CACHE_PATH": cache.path])
        #expect(again.status == 0 && again.stdout.contains("ok       hf://org/planted"))
    }

    /// The free-space check is injected: a real full disk needs a tmpfs, which needs privileges this sandbox may lack.
    @Test func aFullDiskFailsEarlyWithTheNumbers() async throws {
        let http = ModelStore.makeHTTPClient(stallSeconds: 10, connectSeconds: 15)
        let store = ModelStore(
            http: http, environment: ["HF_ENDPOINT": hub.url],
            settings: try StoreFixture.settings(cacheRoot: cache.path),
            freeSpace: { _ in 1 << 20 })
        let error = await #expect(throws: AIMError.self) {
            try await store.ensure(.huggingFace(repo: "org/full", revision: "main"))
        }
        #expect(error?.status == .diskFull)
        #expect(error?.message.contains("3.0 MiB still to download, 1.0 MiB free") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: cache.path + "/hub/models--org--full/blobs"))
        try await http.shutdown()
    }

    @Test func flatLayoutAndCacheCommands() throws {
        let outcome = try download("org/flat", arguments: ["--layout", "flat"])
        #expect(outcome.status == 0 && outcome.stdout == cache.path + "/org/flat\n")
        #expect(FileManager.default.fileExists(atPath: cache.path + "/org/flat/.aim-manifest.json"))
        let list = try CLI.run(["cache", "list"], environment: ["AIM_CACHE_PATH": cache.path])
        #expect(list.stdout.contains("hf://org/flat@\(Self.commit)  flat  3 files"))
        let removed = try CLI.run(["cache", "rm", "org/flat"], environment: ["AIM_CACHE_PATH": cache.path])
        #expect(removed.status == 0 && !FileManager.default.fileExists(atPath: cache.path + "/org/flat"))
    }
}

extension HubDownloadTests {
    @Test func thePlanUsesTheHubCacheOnceFilledAndDryRunReportsTheSize() throws {
        let environment = [
            "AIM_MODEL_ID": "org/plan", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1", "AIM_CACHE_PATH": cache.path,
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles", "HF_ENDPOINT": hub.url,
        ]
        let before = try CLI.run(["select", "--format", "json"], environment: environment)
        #expect(
            before.stdout.contains("\"state\": \"missing\"") && before.stdout.contains("\"source\": \"huggingface\""))
        #expect(try download("org/plan").status == 0)
        let after = try CLI.run(["select", "--format", "json"], environment: environment)
        #expect(after.stdout.contains("\"source\": \"hub-cache\"") && after.stdout.contains("\"state\": \"cached\""))
        #expect(
            after.stdout.contains("\"HF_HUB_OFFLINE\": \"1\"")
                && after.stdout.contains("\"HF_HOME\": \"\(cache.path)\""))
        let dryRun = try CLI.run(["dry-run", "--format", "json"], environment: environment)
        #expect(dryRun.stdout.contains("\"size_gb\": 0.0"), "\(dryRun.stdout)")
    }
}
