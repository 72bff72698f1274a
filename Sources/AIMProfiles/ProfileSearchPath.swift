/// One directory searched for profiles, with its selection priority.
public struct ProfileSearchPath: Equatable, Sendable {
    public let directory: String
    public let priority: Int
    public let source: ProfileSource

    /// The reference's search order: custom, then `<org>/<model>` from AIM_ID, then general.
    /// A priority is a position in this list, whether or not the directory exists.
    public static func searchOrder(root: String, aimID: String?) -> [ProfileSearchPath] {
        var paths = [ProfileSearchPath(directory: join(root, "custom"), priority: 1, source: .custom)]
        if let aimID, aimID.contains("/") {
            paths.append(ProfileSearchPath(directory: join(root, aimID), priority: 2, source: .model))
        }
        paths.append(ProfileSearchPath(directory: join(root, "general"), priority: paths.count + 1, source: .general))
        return paths
    }

    public static func join(_ base: String, _ child: String) -> String {
        base.hasSuffix("/") ? base + child : base + "/" + child
    }
}
