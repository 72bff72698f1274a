import AIMCore
import AsyncHTTPClient
import Foundation
import Logging

/// Fetches everything under an S3 prefix into a flat cache directory, with a manifest.
struct S3Downloader: Sendable {
    let http: HTTPClient
    let environment: [String: String]
    let settings: StoreSettings
    let logger: Logger
    let freeSpace: @Sendable (String) -> Int64?

    func ensure(bucket: String, prefix: String) async throws -> CachedModel {
        let name = try S3DirectoryName.checked(bucket: bucket, prefix: prefix, customName: settings.customModelName)
        let directory = settings.cacheRoot + "/" + name
        let lock = try ModelLock(
            path: settings.cacheRoot + "/.locks/s3--" + name.replacingOccurrences(of: "/", with: "--") + ".lock",
            logger: logger)
        defer { withExtendedLifetime(lock) {} }
        let client = S3Client(http: http, environment: environment)
        let objects = try await RetryPolicy().retrying("listing s3://\(bucket)/\(prefix)", logger: logger) {
            try await client.list(bucket: bucket, prefix: prefix)
        }
        guard !objects.isEmpty else {
            throw AIMError(.modelNotFound, "s3://\(bucket)/\(prefix)/ holds no objects; check the bucket and prefix")
        }
        let base = prefix.isEmpty ? "" : prefix + "/"
        let targets = objects.map {
            (
                object: $0, relative: String($0.key.dropFirst(base.count)),
                path: directory + "/" + String($0.key.dropFirst(base.count))
            )
        }
        if let bad = targets.first(where: { $0.relative.split(separator: "/").contains("..") }) {
            throw TransferFailure(
                .permanent, "refusing the S3 key \(bad.object.key): it would leave the model directory")
        }
        // Encrypted objects (SSE-KMS, SSE-C) have ETags that are not MD5s: their manifest entries keep no ETag.
        var sizeOnly = Set(FlatManifest.read(from: directory)?.files.filter { $0.etag == nil }.map(\.path) ?? [])
        var missing: [(object: S3Object, relative: String, path: String)] = []
        for target in targets {
            let check = sizeOnly.contains(target.relative) ? .sizeOnly : Self.check(for: target.object.etag)
            var info = stat()
            let present = stat(target.path, &info) == 0 && Int64(info.st_size) == target.object.size
            if present {
                if !settings.verifyHashes { continue }
                if try check.matches(fileAt: target.path, size: target.object.size) { continue }
                logger.warning("\(target.path) is corrupt (\(check) mismatch); fetching it again")
            }
            missing.append(target)
        }
        let needed = ByteSum.saturating(missing.map(\.object.size))
        if needed > 0, let free = freeSpace(settings.cacheRoot), free < needed {
            throw AIMError(
                .diskFull,
                "not enough disk space for s3://\(bucket)/\(prefix): \(ByteCount.text(needed)) still to download, \(ByteCount.text(free)) free under \(settings.cacheRoot)"
            )
        }
        if !missing.isEmpty {
            logger.info(
                "Downloading \(missing.count) of \(targets.count) objects from s3://\(bucket)/\(prefix) (\(ByteCount.text(needed)))"
            )
            let progress = TransferProgress()
            missing.forEach { progress.expect($0.object.size) }
            let limiter = ConnectionLimiter(start: settings.connections, cap: settings.maxConnections)
            let transfer = FileTransfer(
                http: http, limiter: limiter, progress: progress,
                retry: RetryPolicy(), chunkSize: settings.chunkSize, logger: logger, setting: client.setting)
            let reporter = DownloadReporter(progress: progress, label: "s3://\(bucket)/\(prefix)", logger: logger)
            reporter.start()
            defer { reporter.finish() }
            try await ParallelismTuner.during(limiter, progress: progress, logger: logger) {
                try await withThrowingTaskGroup(of: (String, ContentCheck).self) { group in
                    for target in missing {
                        try CacheFileSystem.makeParent(of: target.path)
                        let url = try client.url(bucket: bucket, key: target.object.key)
                        group.addTask {
                            let applied = try await transfer.download(
                                to: target.path, size: target.object.size, check: Self.check(for: target.object.etag)
                            ) { range in
                                client.request(url, range: range)
                            }
                            return (target.relative, applied)
                        }
                    }
                    for try await (relative, applied) in group where applied == .sizeOnly { sizeOnly.insert(relative) }
                }
            }
        }
        try FlatManifest(
            files: targets.map {
                .init(
                    path: $0.relative, size: $0.object.size, etag: sizeOnly.contains($0.relative) ? nil : $0.object.etag
                )
            },
            source: "s3://\(bucket)/\(prefix)"
        ).write(to: directory)
        return CachedModel(
            source: .s3, path: directory, commit: nil, inHubCache: false,
            files: targets.map {
                // What each file was really checked against: SSE-KMS and SSE-C objects by size only.
                CachedFile(
                    path: $0.relative, size: $0.object.size,
                    check: sizeOnly.contains($0.relative) ? .sizeOnly : Self.check(for: $0.object.etag))
            }, downloadedBytes: needed)
    }

    /// A single-part object's ETag is its MD5; a multipart one (`…-N`) only has a size to check.
    static func check(for etag: String) -> ContentCheck {
        etag.count == 32 && etag.allSatisfy(\.isHexDigit) ? .md5(etag.lowercased()) : .sizeOnly
    }
}

/// The cache directory of an S3 model, by the reference's rule: AIM_CUSTOM_MODEL_NAME,
/// else the prefix's last two components, else its only one, else the bucket.
public enum S3DirectoryName {
    public static func name(bucket: String, prefix: String, customName: String?) -> String {
        if let customName, !customName.isEmpty { return customName }
        let parts = prefix.split(separator: "/")
        if parts.count >= 2 { return parts.suffix(2).joined(separator: "/") }
        return parts.first.map(String.init) ?? bucket
    }

    /// `name`, refused when it would leave the cache root.
    public static func checked(bucket: String, prefix: String, customName: String?) throws -> String {
        let name = name(bucket: bucket, prefix: prefix, customName: customName)
        guard !name.split(separator: "/").contains("..") else {
            throw AIMError.configuration(
                "AIM_CUSTOM_MODEL_NAME=\(OneLineText.quoted(name)) is not valid: '..' segments are not allowed")
        }
        return name
    }
}
