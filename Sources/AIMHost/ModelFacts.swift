/// What `cache_disk` and `hf_token` need to know of the model the launch serves. The command fills it from
/// the plan and the model store; the two questions that go to a server are closures, asked only by `doctor`.
public struct ModelFacts: Sendable {
    /// What the Hub says of a repository's gating.
    public enum Gate: Equatable, Sendable {
        case open
        /// `auto` or `manual`: a token of an account that accepted the licence is needed.
        case gated(String)
        case unknown(String)
    }

    public var id: String
    /// The repository, for a Hugging Face model; nil for S3 and local models.
    public var hubRepo: String?
    /// Where the model already is, complete, when nothing needs downloading (a local directory, the cache).
    public var inPlace: String?
    public var cacheRoot: String
    /// The bytes of it already in the cache (a partial download counts).
    public var cachedBytes: Int64
    /// Its total size, or why that is unknown (offline, the server did not answer in time).
    public var totalBytes: @Sendable () async -> Result<Int64, SizeUnknown>
    /// Free bytes where the cache is (its nearest existing parent), or nil when statvfs fails.
    public var freeBytes: @Sendable () -> Int64?
    /// `GET {HF_ENDPOINT}/api/models/{repo}` → `gated`, with a short time limit.
    public var gate: @Sendable (String) async -> Gate

    public struct SizeUnknown: Error, Equatable, Sendable {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    public init(
        id: String, hubRepo: String?, inPlace: String?, cacheRoot: String, cachedBytes: Int64,
        totalBytes: @escaping @Sendable () async -> Result<Int64, SizeUnknown>,
        freeBytes: @escaping @Sendable () -> Int64?,
        gate: @escaping @Sendable (String) async -> Gate
    ) {
        self.id = id
        self.hubRepo = hubRepo
        self.inPlace = inPlace
        self.cacheRoot = cacheRoot
        self.cachedBytes = cachedBytes
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.gate = gate
    }
}
