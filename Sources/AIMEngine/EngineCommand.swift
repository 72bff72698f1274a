/// The engine's argv and the environment variables the profile adds.
public struct EngineCommand: Equatable, Sendable {
    public let argv: [String]
    /// The profile's env_vars as strings, in file order.
    public let environment: [(key: String, value: String)]

    public init(argv: [String], environment: [(key: String, value: String)]) {
        self.argv = argv
        self.environment = environment
    }

    public static func == (lhs: EngineCommand, rhs: EngineCommand) -> Bool {
        lhs.argv == rhs.argv && lhs.environment.elementsEqual(rhs.environment) { $0 == $1 }
    }
}
