/// The model a launch serves: its id, and what the engine's `--model` gets.
public struct ModelResolution: Equatable, Sendable {
    /// The id used for `--served-model-name`.
    public let id: String
    /// The `--model` argument: a cached directory's path, or the id itself.
    public let argument: String
    public let source: ModelSource

    public init(id: String, argument: String, source: ModelSource) {
        self.id = id
        self.argument = argument
        self.source = source
    }
}
