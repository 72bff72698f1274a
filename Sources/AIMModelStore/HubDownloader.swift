import AIMCore
import AsyncHTTPClient
import Foundation
import Logging

/// Fetches a Hugging Face model into the cache and proves what it has.
public struct HubDownloader: Sendable {
    private let http: HTTPClient
    private let hub: HubSettings
    private let settings: StoreSettings
    private let logger: Logger
    private let freeSpace: @Sendable (String) -> Int64?

    public init(
        http: HTTPClient, hub: HubSettings, settings: StoreSettings,
        logger: Logger = Logger(label: "aim_runtime.model_store"),
        freeSpace: @escaping @Sendable (String) -> Int64? = DiskSpace.available
    ) {
        self.http = http
        self.hub = hub
        self.settings = settings
        self.logger = logger
        self.freeSpace = freeSpace
    }

    public func ensure(repo: String, revision: String) async throws -> CachedModel {
        let layout = HubCacheLayout(cacheRoot: settings.cacheRoot, repo: repo)
        if hub.offline {
            return try offlineModel(repo: repo, revision: revision, layout: layout)
        }
        let lock = try ModelLock(
            path: settings.cacheRoot + "/.locks/models--" + repo.replacingOccurrences(of: "/", with: "--") + ".lock",
            logger: logger)
        defer { withExtendedLifetime(lock) {} }
        let client = HubClient(http: http, settings: hub)
        let retry = RetryPolicy()
        let snapshot = try await retry.retrying("listing \(repo)@\(revision)", logger: logger) {
            try await client.snapshot(repo: repo, revision: revision)
        }
        try Self.checkNames(snapshot)
        let wanted = settings.selection.select(snapshot.files.map(\.path))
        guard !wanted.isEmpty else {
            throw AIMError(
                .modelNotFound, "\(repo)@\(revision) has no files to download with the current include/exclude patterns"
            )
        }
        let limiter = ConnectionLimiter(start: settings.connections, cap: settings.maxConnections)
        let metadata = try await withThrowingTaskGroup(of: (String, HubFileMetadata).self) { group in
            for file in wanted {
                group.addTask {
                    (
                        file,
                        try await limiter.withConnection {
                            try await retry.retrying("metadata of \(file)", logger: logger) {
                                try await client.metadata(repo: repo, commit: snapshot.commit, file: file)
                            }
                        }
                    )
                }
            }
            var result: [String: HubFileMetadata] = [:]
            for try await (file, info) in group { result[file] = info }
            return result
        }
        for (file, info) in metadata where !Self.isSafeName(info.etag) {
            throw TransferFailure(
                .permanent, "the Hub's ETag for \(file) is not a plain name; refusing to use it as a cache path")
        }
        let targets = wanted.map { file in
            (
                file: file, info: metadata[file]!,
                path: settings.layout == .hub
                    ? layout.blobPath(metadata[file]!.etag)
                    : flatDirectory(repo) + "/" + file
            )
        }
        var missing: [(file: String, info: HubFileMetadata, path: String)] = []
        var seen = Set<String>()
        // Files with identical content share one blob: fetch it once.
        for target in targets where seen.insert(target.path).inserted {
            if try !isCached(target.path, size: target.info.size, check: ContentCheck.forHubETag(target.info.etag)) {
                missing.append(target)
            }
        }
        let missingBytes = ByteSum.saturating(missing.map(\.info.size))
        try checkSpace(missingBytes, label: repo)
        if !missing.isEmpty {
            logger.info(
                "Downloading \(missing.count) of \(targets.count) files of \(repo)@\(revision) (\(ByteCount.text(missingBytes)))"
            )
            try await download(missing, repo: repo, commit: snapshot.commit, limiter: limiter, client: client)
        }
        let files = targets.map {
            CachedFile(path: $0.file, size: $0.info.size, check: ContentCheck.forHubETag($0.info.etag))
        }
        switch settings.layout {
        case .hub:
            for target in targets {
                try layout.link(file: target.file, commit: snapshot.commit, etag: target.info.etag)
            }
            try layout.writeRef(revision, commit: snapshot.commit)
            return CachedModel(
                source: .huggingFace, path: layout.snapshotDirectory(snapshot.commit), commit: snapshot.commit,
                inHubCache: true, files: files, downloadedBytes: missingBytes)
        case .flat:
            try FlatManifest(
                files: targets.map { .init(path: $0.file, size: $0.info.size, etag: $0.info.etag) },
                source: "hf://\(repo)@\(snapshot.commit)"
            )
            .write(to: flatDirectory(repo))
            return CachedModel(
                source: .huggingFace, path: flatDirectory(repo), commit: snapshot.commit,
                inHubCache: false, files: files, downloadedBytes: missingBytes)
        }
    }

    private func download(
        _ files: [(file: String, info: HubFileMetadata, path: String)], repo: String, commit: String,
        limiter: ConnectionLimiter, client: HubClient
    ) async throws {
        let label = repo
        let progress = TransferProgress()
        files.forEach { progress.expect($0.info.size) }
        let transfer = FileTransfer(
            http: http, limiter: limiter, progress: progress, retry: RetryPolicy(),
            chunkSize: settings.chunkSize, logger: logger, setting: "HF_ENDPOINT")
        let reporter = DownloadReporter(progress: progress, label: label, logger: logger)
        reporter.start()
        defer { reporter.finish() }
        try await ParallelismTuner.during(limiter, progress: progress, logger: logger) {
            try await transferAll(files, repo: repo, commit: commit, transfer: transfer, client: client)
        }
    }

    private func transferAll(
        _ files: [(file: String, info: HubFileMetadata, path: String)], repo: String, commit: String,
        transfer: FileTransfer, client: HubClient
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for target in files {
                try CacheFileSystem.makeParent(of: target.path)
                group.addTask {
                    let check = ContentCheck.forHubETag(target.info.etag)
                    do {
                        try await transfer.download(
                            to: target.path, size: target.info.size, check: check,
                            request: client.requestBuilder(for: target.info))
                    } catch let failure as TransferFailure
                        where !target.info.sameOrigin && [401, 403, 410].contains(failure.httpStatus ?? 0)
                    {
                        // The CDN's signed URL expired during a long download: ask the Hub for a fresh one.
                        logger.info(
                            "The download link for \(target.file) expired (HTTP \(failure.httpStatus ?? 0)); asking the Hub for a new one"
                        )
                        let fresh = try await client.metadata(repo: repo, commit: commit, file: target.file)
                        try await transfer.download(
                            to: target.path, size: target.info.size, check: check,
                            request: client.requestBuilder(for: fresh))
                    }
                }
            }
            for try await _ in group {}
        }
    }

    /// Present with the right size, and the right hash when asked to verify.
    private func isCached(_ path: String, size: Int64, check: ContentCheck) throws -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.size] as? NSNumber)?.int64Value == size
        else { return false }
        guard settings.verifyHashes else { return true }
        if try check.matches(fileAt: path, size: size) { return true }
        logger.warning("\(path) is corrupt (\(check) mismatch); fetching it again")
        try FileTransfer.removeIfPresent(path)
        return false
    }

    private func checkSpace(_ needed: Int64, label: String) throws {
        guard needed > 0, let free = freeSpace(settings.cacheRoot) else { return }
        if free < needed {
            throw AIMError(
                .diskFull,
                "not enough disk space for \(label): \(ByteCount.text(needed)) still to download, \(ByteCount.text(free)) free under \(settings.cacheRoot); free space or point AIM_CACHE_PATH at a larger volume"
            )
        }
    }

    /// File names and the commit become cache paths: no absolute paths, no `..`, no odd characters.
    static func checkNames(_ snapshot: HubSnapshot) throws {
        guard isSafeName(snapshot.commit) else {
            throw TransferFailure(.permanent, "the Hub's commit id '\(snapshot.commit.prefix(64))' is not a plain name")
        }
        for file in snapshot.files
        where file.path.hasPrefix("/") || file.path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            throw TransferFailure(
                .permanent, "the Hub lists a file outside the repository ('\(file.path.prefix(200))'); refusing it")
        }
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
            && name != "." && name != ".."
    }

    func flatDirectory(_ repo: String) -> String {
        settings.cacheRoot + "/" + repo
    }

    private func offlineModel(repo: String, revision: String, layout: HubCacheLayout) throws -> CachedModel {
        switch settings.layout {
        case .hub:
            guard let commit = layout.commit(for: revision) else {
                throw AIMError(
                    .modelNotFound,
                    "\(repo)@\(revision) is not in the cache at \(layout.repoDirectory) and HF_HUB_OFFLINE is set; download it first (aim-runtime download-to-cache) or unset HF_HUB_OFFLINE"
                )
            }
            guard CacheInventory.isCompleteSnapshot(layout.snapshotDirectory(commit)) else {
                throw AIMError(
                    .modelNotFound,
                    "\(repo)@\(revision) is only partly in the cache at \(layout.snapshotDirectory(commit)) (a file's blob is missing) and HF_HUB_OFFLINE is set; download it again without HF_HUB_OFFLINE"
                )
            }
            return CachedModel(
                source: .huggingFace, path: layout.snapshotDirectory(commit), commit: commit, inHubCache: true,
                files: CachedFile.hubSnapshot(layout.snapshotDirectory(commit)), downloadedBytes: 0)
        case .flat:
            let directory = flatDirectory(repo)
            guard FlatManifest.read(from: directory) != nil, CacheInventory.isCompleteFlatDirectory(directory)
            else {
                throw AIMError(
                    .modelNotFound, "\(repo) is not (completely) in the cache at \(directory) and HF_HUB_OFFLINE is set"
                )
            }
            return CachedModel(
                source: .huggingFace, path: directory, commit: nil, inHubCache: false,
                files: CachedFile.flatDirectory(directory), downloadedBytes: 0)
        }
    }
}
