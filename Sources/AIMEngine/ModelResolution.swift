/// The model a launch serves: its id, and what the engine's `--model` gets.
public struct ModelResolution: Equatable, Sendable {
    /// The id used for `--served-model-name`.
    public let id: String
    /// The `--model` argument: a cached directory's path, or the id itself.
    public let argument: String
    public let source: ModelSource
    /// The cached copy the engine will read, if there is one.
    public let cachedPath: String?
    /// Variables the engine needs to find the model (HF_HOME and HF_HUB_OFFLINE for the hub cache).
    public let environment: [(key: String, value: String)]

    public init(
        id: String, argument: String, source: ModelSource, cachedPath: String? = nil,
        environment: [(key: String, value: String)] = []
    ) {
        self.id = id
        self.argument = argument
        self.source = source
        self.cachedPath = cachedPath
        self.environment = environment
    }

    public static func == (lhs: ModelResolution, rhs: ModelResolution) -> Bool {
        lhs.id == rhs.id && lhs.argument == rhs.argument && lhs.source == rhs.source && lhs.cachedPath == rhs.cachedPath
            && lhs.environment.elementsEqual(rhs.environment) { $0 == $1 }
    }
}
