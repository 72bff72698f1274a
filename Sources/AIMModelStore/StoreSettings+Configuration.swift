import AIMConfiguration

extension StoreSettings {
    public init(configuration: RuntimeConfiguration, layout: Layout = .hub, verifyHashes: Bool = false, customModelName: String? = nil) {
        self.init(
            cacheRoot: configuration.cachePath, layout: layout, stallSeconds: configuration.downloadStallSeconds,
            connectSeconds: configuration.downloadConnectTimeoutSeconds,
            connections: configuration.downloadConnections, chunkSize: Int64(configuration.downloadChunkMiB) << 20, verifyHashes: verifyHashes,
            selection: FileSelection(include: configuration.downloadInclude, exclude: configuration.downloadExclude),
            customModelName: customModelName ?? configuration.customModelName)
    }
}
