/// The model a launch serves: its id, what the engine loads, and whether it is there yet.
public struct ModelResolution: Equatable, Sendable {
    /// The id used for `--served-model-name`.
    public let id: String
    /// The `--model` argument: a cached directory's path, or the repo id (found in the hub cache).
    /// The same before and after serve downloads the model.
    public let argument: String
    public let source: ModelSource
    /// Where the engine reads the model once it is cached: the directory, or the repo's directory in the
    /// hub cache (its snapshot is chosen by the download).
    public let location: String
    /// The complete copy there now, if there is one; nil means serve must download it first.
    public let cachedPath: String?
    /// A Hub revision other than `main` (a branch, tag or commit), which the engine gets as `--revision`.
    public let revision: String?
    /// Variables the engine needs to find the model (HF_HOME and HF_HUB_OFFLINE for the hub cache).
    public let environment: [(key: String, value: String)]

    public init(
        id: String, argument: String, source: ModelSource, location: String, cachedPath: String? = nil,
        revision: String? = nil, environment: [(key: String, value: String)] = []
    ) {
        self.id = id
        self.argument = argument
        self.source = source
        self.location = location
        self.cachedPath = cachedPath
        self.revision = revision
        self.environment = environment
    }

    /// Whether serve must download the model before the engine starts: a Hub or S3 model not yet complete in
    /// the cache (a local path is used where it is, or not at all).
    public var needsDownload: Bool { source != .cache && source != .local && cachedPath == nil }

    public static func == (lhs: ModelResolution, rhs: ModelResolution) -> Bool {
        lhs.id == rhs.id && lhs.argument == rhs.argument && lhs.source == rhs.source && lhs.location == rhs.location
            && lhs.cachedPath == rhs.cachedPath && lhs.revision == rhs.revision
            && lhs.environment.elementsEqual(rhs.environment) { $0 == $1 }
    }
}
