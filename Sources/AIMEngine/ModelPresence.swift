import AIMCore
import AIMModelStore

/// What of a plan's model is on the local disk, for the reports that show it.
///
/// Found here, before rendering, so that reports only format facts and never read the disk.
public struct ModelPresence: Equatable, Sendable {
    /// The directory the engine will read, or nil when nothing is there yet.
    public let path: String?
    public let files: Int
    public let bytes: Int64

    public init(path: String?, files: Int, bytes: Int64) {
        self.path = path
        self.files = files
        self.bytes = bytes
    }

    /// Looks at the cache or the local directory: a dry run neither downloads nor asks the network.
    public static func inspect(_ model: ModelResolution) -> ModelPresence {
        guard let path = model.cachedPath else { return ModelPresence(path: nil, files: 0, bytes: 0) }
        let size = CacheInventory.size(of: path)
        return ModelPresence(path: path, files: size.files, bytes: size.bytes)
    }
}
