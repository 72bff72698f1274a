import AIMTestSupport
import Foundation
import Testing

/// Runs a Python snippet with the given interpreter; returns stdout, fails the test on error.
func runPython(
    _ python: String, _ code: String, environment: [String: String] = [:], arguments: [String] = []
) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", code] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus != 0 { Issue.record("python failed: \(problems)") }
    return text
}

/// A real Hub mirror: olah serving a local git repository, read by aim-runtime and
/// then by huggingface_hub itself with no network.
@Suite(
    .serialized,
    .enabled(
        if: TestTools.olah != nil && TestTools.hubPython != nil,
        "olah and huggingface_hub are not installed; .ci/run installs them with pip"))
struct OlahHubTests {
    let work: TemporaryDirectory
    let olah: LocalServer
    let model: String

    init() throws {
        work = try TemporaryDirectory()
        model = work.path + "/mirror/models/tiny-org/tiny-model"
        try work.write("mirror/models/tiny-org/tiny-model/config.json", #"{"model_type": "llama", "hidden_size": 64}"#)
        try work.write("mirror/models/tiny-org/tiny-model/tokenizer.json", #"{"version": "1.0"}"#)
        let weights = Data((0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try weights.write(to: URL(fileURLWithPath: model + "/model.safetensors"))
        for arguments in [
            ["init", "-q", "-b", "main"], ["add", "-A"],
            ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"],
        ] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = arguments
            git.currentDirectoryURL = URL(fileURLWithPath: model)
            try git.run()
            git.waitUntilExit()
        }
        let port = LocalServer.freePort()
        try work.write(
            "olah.toml",
            """
            [basic]
            host = "127.0.0.1"
            port = \(port)
            mirror-netloc = "127.0.0.1:\(port)"
            mirror-lfs-netloc = "127.0.0.1:\(port)"
            repos-path = "\(work.path)/repos"
            mirrors-path = ["\(work.path)/mirror"]
            [accessibility]
            offline = true
            """)
        olah = try LocalServer([TestTools.olah!, "-c", work.path + "/olah.toml"], port: port, directory: work.path)
    }

    @Test func aCacheFilledByAIMRuntimeIsAcceptedByHuggingFaceHubOffline() throws {
        let cache = work.path + "/cache"
        let outcome = try CLI.run(
            ["download-to-cache", "--model-id", "tiny-org/tiny-model"],
            environment: ["HF_ENDPOINT": olah.url, "AIM_CACHE_PATH": cache])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let snapshot = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try runPython(
            TestTools.hubPython!,
            """
            import hashlib, json, os
            from huggingface_hub import scan_cache_dir, snapshot_download
            info = scan_cache_dir()
            repo = [r for r in info.repos if r.repo_id == "tiny-org/tiny-model"][0]
            files = {f.file_name: hashlib.sha256(open(f.file_path, "rb").read()).hexdigest() for rev in repo.revisions for f in rev.files}
            path = snapshot_download("tiny-org/tiny-model", local_files_only=True)
            print(json.dumps({"files": files, "path": path, "warnings": [str(w) for w in info.warnings]}))
            """, environment: ["HF_HOME": cache, "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:1"])
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(parsed["path"] as? String == snapshot)
        #expect((parsed["warnings"] as? [String])?.isEmpty == true)
        let files = try #require(parsed["files"] as? [String: String])
        #expect(files.keys.sorted() == ["config.json", "model.safetensors", "tokenizer.json"])
        for (name, digest) in files {
            let original = try runPython(
                TestTools.hubPython!,
                "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
                arguments: [model + "/" + name])
            #expect(original.trimmingCharacters(in: .whitespacesAndNewlines) == digest, "\(name)")
        }
    }
}

/// A real S3 API: moto's server, filled with boto3, read by aim-runtime with SigV4.
@Suite(
    .serialized,
    .enabled(
        if: TestTools.moto != nil && TestTools.boto3Python != nil,
        "moto_server or boto3 is not installed; .ci/run installs moto[server] with pip"))
struct MotoS3Tests {
    let moto: LocalServer
    let cache: TemporaryDirectory
    var aws: [String: String] {
        [
            "AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
        ]
    }

    init() throws {
        let port = LocalServer.freePort()
        moto = try LocalServer([TestTools.moto!, "-H", "127.0.0.1", "-p", String(port)], port: port)
        cache = try TemporaryDirectory()
        _ = try runPython(
            TestTools.boto3Python!,
            """
            import boto3
            from boto3.s3.transfer import TransferConfig
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="models")
            s3.put_object(Bucket="models", Key="org/tiny/config.json", Body=b'{"model_type": "llama"}')
            s3.put_object(Bucket="models", Key="org/tiny/sub/", Body=b"")
            s3.put_object(Bucket="models", Key="org/tiny/sub/tokenizer.json", Body=b'{"v": 1}')
            s3.put_object(Bucket="models", Key="org/tiny2/other.json", Body=b"not this model")
            s3.upload_fileobj(__import__("io").BytesIO(bytes(range(256)) * 40000), "models", "org/tiny/model.safetensors",
                              Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
            """, environment: aws)
    }

    @Test func downloadsAPrefixIntoAFlatDirectoryWithAManifest() throws {
        let outcome = try CLI.run(
            ["download-to-cache", "--model-id", "s3://models/org/tiny"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path, "AIM_DOWNLOAD_CHUNK_MIB": "4"]) { $1 })
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == cache.path + "/org/tiny\n")
        let files = try FileManager.default.subpathsOfDirectory(atPath: cache.path + "/org/tiny").sorted()
        #expect(files == [".aim-manifest.json", "config.json", "model.safetensors", "sub", "sub/tokenizer.json"])
        let weights = try Data(contentsOf: URL(fileURLWithPath: cache.path + "/org/tiny/model.safetensors"))
        #expect(weights == Data(Array(0...255).map(UInt8.init)).repeated(40_000))
        #expect(!outcome.stderr.contains("testing-secret"))
        let again = try CLI.run(
            ["download-to-cache", "--model-id", "s3://models/org/tiny", "--verify"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path]) { $1 })
        #expect(again.status == 0 && !again.stderr.contains("Downloading"))
    }

    /// SSE-KMS objects' ETags are not MD5s: they are checked by size and keep no ETag in the manifest.
    @Test func kmsEncryptedObjectsAreCheckedBySize() throws {
        _ = try runPython(
            TestTools.boto3Python!,
            """
            import boto3
            s3 = boto3.client("s3")
            s3.put_object(Bucket="models", Key="org/kms/config.json", Body=b'{"encrypted": true}', ServerSideEncryption="aws:kms")
            """, environment: aws)
        let outcome = try CLI.run(
            ["download-to-cache", "--model-id", "s3://models/org/kms"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path]) { $1 })
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let manifest = try String(contentsOfFile: cache.path + "/org/kms/.aim-manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"etag\": null"), "\(manifest)")
    }

    /// 1,005 objects: more than one ListObjectsV2 page of 1,000.
    @Test func listingsArePaginatedAndCustomNamesApply() throws {
        _ = try runPython(
            TestTools.boto3Python!,
            """
            import boto3
            s3 = boto3.client("s3")
            for i in range(1005):
                s3.put_object(Bucket="models", Key=f"many/shards/part-{i:04d}.bin", Body=b"x" * (i % 7))
            """, environment: aws)
        let outcome = try CLI.run(
            ["download-to-cache", "--model-id", "s3://models/many/shards", "--custom-model-name", "team/shards"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path]) { $1 })
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: cache.path + "/team/shards").filter {
                $0.hasSuffix(".bin")
            }.count == 1005)
    }

    @Test func aMissingBucketOrPrefixIsNotFound() throws {
        let bucket = try CLI.run(
            ["download-to-cache", "--model-id", "s3://nobucket/x/y"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path]) { $1 })
        #expect(bucket.status == 7, "\(bucket.stderr)")
        let prefix = try CLI.run(
            ["download-to-cache", "--model-id", "s3://models/org/none"],
            environment: aws.merging(["AIM_CACHE_PATH": cache.path]) { $1 })
        #expect(prefix.status == 7 && prefix.stderr.contains("holds no objects"))
    }
}

extension Data {
    func repeated(_ count: Int) -> Data {
        var result = Data(capacity: self.count * count)
        for _ in 0..<count { result.append(self) }
        return result
    }
}
