import AIMCore

/// Why a profile file is invalid, in one line: file, field or line, and what was expected.
public struct ProfileValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let field: String?
    public let problem: String
    /// The file's `aim_id`, when the YAML parsed and has one: an invalid custom profile's id needs it.
    public var aimID: String?

    public init(file: String, line: Int?, field: String?, problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// File names, keys and values come from the file system and the file: a newline in one must not start a new line.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return OneLineText.escape(field.map { "\(place): \($0): \(problem)" } ?? "\(place): \(problem)")
    }
}
