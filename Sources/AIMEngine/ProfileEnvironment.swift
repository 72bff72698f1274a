import AIMCore
import AIMProfiles

extension Profile {
    /// The env_vars as the engine sees them: each value as Python's `str()` prints it.
    public var environmentStrings: [(key: String, value: String)] {
        envVars.map { (key: $0.key, value: PythonFormatting.str($0.value)) }
    }
}
