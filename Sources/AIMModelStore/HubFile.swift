/// One file of a model repository, as the Hub lists it.
public struct HubFile: Equatable, Sendable {
    public let path: String
    public let size: Int64?
    /// The LFS object's sha256, which is also its blob name in the cache.
    public let lfsSHA256: String?

    public init(path: String, size: Int64?, lfsSHA256: String?) {
        self.path = path
        self.size = size
        self.lfsSHA256 = lfsSHA256
    }
}

/// A repository at one commit: its files.
public struct HubSnapshot: Equatable, Sendable {
    public let repo: String
    public let revision: String
    public let commit: String
    public let files: [HubFile]
}

/// What the Hub says about one file before it is downloaded.
public struct HubFileMetadata: Equatable, Sendable {
    public let commit: String?
    /// The blob name: the LFS sha256 for large files, the git blob sha1 for others.
    public let etag: String
    public let size: Int64
    /// Where the bytes are (after the Hub's redirect to its CDN), and whether the token may follow.
    public let downloadURL: String
    public let sameOrigin: Bool
}
