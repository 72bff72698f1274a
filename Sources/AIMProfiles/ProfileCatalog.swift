/// Every profile found under a profile root, valid or not.
public struct ProfileCatalog: Sendable {
    public let root: String
    public let searchPaths: [ProfileSearchPath]
    /// Valid profiles in search order, then path order; ids are unique.
    public var profiles: [Profile]
    /// Files that failed validation; they are listed, never selected.
    public let invalid: [InvalidProfile]

    public init(root: String, searchPaths: [ProfileSearchPath], profiles: [Profile], invalid: [InvalidProfile]) {
        self.root = root
        self.searchPaths = searchPaths
        self.profiles = profiles
        self.invalid = invalid
    }

    public func profile(withID id: String) -> Profile? {
        profiles.first { $0.id == id }
    }

    public func invalidProfile(withID id: String) -> InvalidProfile? {
        invalid.first { $0.id == id }
    }

    /// Every id, valid or not, for suggestions when an id is mistyped.
    public var allIDs: [String] { profiles.map(\.id) + invalid.map(\.id) }
}
