/// The engine's argv, the environment variables the profile adds, and the name it serves.
public struct EngineCommand: Equatable, Sendable {
    public let argv: [String]
    /// The profile's env_vars as strings, in file order.
    public let environment: [(key: String, value: String)]
    /// The name readiness waits for in `/v1/models`: one the builder put in `--served-model-name`, decided
    /// there and nowhere else.
    public let servedModelName: String

    public init(argv: [String], environment: [(key: String, value: String)], servedModelName: String) {
        self.argv = argv
        self.environment = environment
        self.servedModelName = servedModelName
    }

    public static func == (lhs: EngineCommand, rhs: EngineCommand) -> Bool {
        lhs.argv == rhs.argv && lhs.environment.elementsEqual(rhs.environment) { $0 == $1 }
            && lhs.servedModelName == rhs.servedModelName
    }
}
