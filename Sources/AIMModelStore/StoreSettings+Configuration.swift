import AIMConfiguration

extension StoreSettings {
    public init(configuration: RuntimeConfiguration, layout: Layout = .hub, verifyHashes: Bool = false, customModelName: String? = nil) {
        self.init(
            cacheRoot: configuration.cachePath, layout: layout, stallSeconds: configuration.downloadStallSeconds,
            connectSeconds: configuration.downloadConnectTimeoutSeconds,
            connections: configuration.downloadConnections, chunkSize: Self.bytes(mebibytes: configuration.downloadChunkMiB), verifyHashes: verifyHashes,
            selection: FileSelection(include: configuration.downloadInclude, exclude: configuration.downloadExclude),
            customModelName: customModelName ?? configuration.customModelName)
    }

    /// MiB to bytes, within 1 MiB ... 1 TiB whatever the setting holds.
    static func bytes(mebibytes: Int) -> Int64 {
        Int64(min(max(mebibytes, 1), 1 << 20)) << 20
    }
}
