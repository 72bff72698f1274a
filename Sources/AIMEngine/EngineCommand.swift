/// The engine's argv, the environment variables the launch adds, and the names it serves.
public struct EngineCommand: Equatable, Sendable {
    public let argv: [String]
    /// The profile's env_vars as strings, in file order, then what the engine needs to find the model; each
    /// name once.
    public let environment: [(key: String, value: String)]
    /// Every name in `--served-model-name`, in order.
    public let servedNames: [String]
    /// The name readiness waits for in `/v1/models`: one the builder put in `--served-model-name`, decided
    /// there and nowhere else.
    public let servedModelName: String

    public init(
        argv: [String], environment: [(key: String, value: String)], servedNames: [String], servedModelName: String
    ) {
        self.argv = argv
        self.environment = Self.unique(environment)
        self.servedNames = servedNames
        self.servedModelName = servedModelName
    }

    /// One entry per name, where it first appears, with the last value: what the engine gets when the
    /// variables are set in order. (A profile may set HF_HOME; the model's own location comes last and wins.)
    static func unique(_ environment: [(key: String, value: String)]) -> [(key: String, value: String)] {
        var values: [String: String] = [:]
        for (key, value) in environment { values[key] = value }
        var seen = Set<String>()
        return environment.compactMap { seen.insert($0.key).inserted ? ($0.key, values[$0.key]!) : nil }
    }

    public static func == (lhs: EngineCommand, rhs: EngineCommand) -> Bool {
        lhs.argv == rhs.argv && lhs.environment.elementsEqual(rhs.environment) { $0 == $1 }
            && lhs.servedNames == rhs.servedNames && lhs.servedModelName == rhs.servedModelName
    }
}
