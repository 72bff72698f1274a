import AIMCore

/// A model that is complete and verified in the cache.
public struct CachedModel: Equatable, Sendable {
    public enum Source: String, Sendable {
        case huggingFace = "huggingface"
        case s3
        case local
    }

    public let source: Source
    /// The directory the engine loads: a hub snapshot, a flat directory or the local path.
    public let path: String
    /// The Hub commit, for Hugging Face models.
    public let commit: String?
    /// True when the files are in the hub cache, so the engine should get the repo id with HF_HOME.
    public let inHubCache: Bool
    /// Each file, with the content it was checked against.
    public let files: [CachedFile]
    /// Bytes fetched by this run; 0 when everything was already cached.
    public let downloadedBytes: Int64

    public init(
        source: Source, path: String, commit: String?, inHubCache: Bool, files: [CachedFile], downloadedBytes: Int64
    ) {
        self.source = source
        self.path = path
        self.commit = commit
        self.inHubCache = inHubCache
        self.files = files
        self.downloadedBytes = downloadedBytes
    }

    public var fileCount: Int { files.count }
    public var bytes: Int64 { ByteSum.saturating(files.map(\.size)) }

    /// One line for the log: where the model is and what this run fetched.
    public var summary: String {
        "\(path): \(fileCount) files, \(ByteCount.text(bytes))"
            + (downloadedBytes > 0
                ? " (\(ByteCount.text(downloadedBytes)) downloaded now)" : " (all already cached and checked)")
    }
}
