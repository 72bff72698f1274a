/// How the model store downloads and checks models. No defaults here: the composition layer
/// fills every field from the configuration, whose defaults are written once.
public struct StoreSettings: Sendable {
    public enum Layout: String, Sendable, CaseIterable {
        /// The Hugging Face hub cache under `<cache>/hub` (the default).
        case hub
        /// The reference's `<cache>/<org>/<model>` directory of plain files.
        case flat
    }

    public var cacheRoot: String
    public var layout: Layout
    /// Seconds without a byte before a transfer is aborted and retried (`AIM_DOWNLOAD_STALL_SECONDS`).
    public var stallSeconds: Int
    /// Seconds to keep trying to connect before an attempt fails (`AIM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS`).
    public var connectSeconds: Int
    /// Transfers to start with, files and ranges of large files together (`AIM_DOWNLOAD_CONNECTIONS`).
    public var connections: Int
    /// The most transfers at once the download may grow to (`AIM_DOWNLOAD_MAX_CONNECTIONS`).
    public var maxConnections: Int
    /// Large files are fetched in ranges of this many bytes.
    public var chunkSize: Int64
    /// Check the hashes of cached files, not only their sizes.
    public var verifyHashes: Bool
    public var selection: FileSelection
    /// Overrides the S3 directory name (`AIM_CUSTOM_MODEL_NAME`).
    public var customModelName: String?

    public init(
        cacheRoot: String, layout: Layout, stallSeconds: Int, connectSeconds: Int, connections: Int,
        maxConnections: Int? = nil, chunkSize: Int64, verifyHashes: Bool, selection: FileSelection,
        customModelName: String?
    ) {
        self.cacheRoot = cacheRoot
        self.layout = layout
        self.stallSeconds = stallSeconds
        self.connectSeconds = connectSeconds
        self.connections = connections
        self.maxConnections = max(connections, maxConnections ?? connections)
        self.chunkSize = chunkSize
        self.verifyHashes = verifyHashes
        self.selection = selection
        self.customModelName = customModelName
    }
}

extension StoreSettings {
    /// MiB to bytes, within 1 MiB ... 1 TiB whatever the setting holds.
    public static func bytes(mebibytes: Int) -> Int64 {
        Int64(min(max(mebibytes, 1), 1 << 20)) << 20
    }
}
