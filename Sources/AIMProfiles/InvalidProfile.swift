/// A profile file that could not be loaded, kept so that listings can show it.
public struct InvalidProfile: Error, Equatable, Sendable {
    public let id: String
    public let location: ProfileLocation
    /// One line naming the file, the field or line, and what was expected.
    public let message: String

    public init(id: String, location: ProfileLocation, message: String) {
        self.id = id
        self.location = location
        self.message = message
    }
}
