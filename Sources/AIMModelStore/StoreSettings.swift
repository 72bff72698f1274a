/// How the model store downloads and checks models.
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
    /// Transfers at once, files and ranges of large files together (`AIM_DOWNLOAD_CONNECTIONS`).
    public var connections: Int
    /// Large files are fetched in ranges of this many bytes.
    public var chunkSize: Int64
    /// Check the hashes of cached files, not only their sizes.
    public var verifyHashes: Bool
    public var selection: FileSelection
    /// Overrides the S3 directory name (`AIM_CUSTOM_MODEL_NAME`).
    public var customModelName: String?

    public init(
        cacheRoot: String, layout: Layout = .hub, stallSeconds: Int = 60, connectSeconds: Int = 15, connections: Int = 8,
        chunkSize: Int64 = 64 << 20, verifyHashes: Bool = false, selection: FileSelection = FileSelection(),
        customModelName: String? = nil
    ) {
        self.cacheRoot = cacheRoot
        self.layout = layout
        self.stallSeconds = stallSeconds
        self.connectSeconds = connectSeconds
        self.connections = connections
        self.chunkSize = chunkSize
        self.verifyHashes = verifyHashes
        self.selection = selection
        self.customModelName = customModelName
    }
}
