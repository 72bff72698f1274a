/// Where configuration values come from: the environment, and flags that beat it.
public struct ConfigurationInput: Sendable {
    public var environment: [String: String]
    /// Flag values keyed by the variable they override.
    public var flags: [ConfigVariable: String]

    public init(environment: [String: String], flags: [ConfigVariable: String] = [:]) {
        self.environment = environment
        self.flags = flags
    }

    /// The value and a label naming where it came from, for error messages.
    /// An empty environment value counts as unset, as in the reference.
    func value(_ variable: ConfigVariable) -> (text: String, origin: String)? {
        if let flagged = flags[variable], !flagged.isEmpty, let flag = variable.flag {
            return (flagged, flag)
        }
        if let text = environment[variable.name], !text.isEmpty {
            return (text, variable.name)
        }
        return nil
    }
}
