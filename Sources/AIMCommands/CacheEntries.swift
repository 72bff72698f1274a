import AIMConfiguration
import AIMCore
import AIMModelStore

extension CacheInventory {
    /// The cache the configuration names, checked readable: where every `cache` command starts.
    static func open(_ context: CommandContext, overrides: [ConfigVariable: String]) throws -> CacheInventory {
        let cachePath = try Stages(context, overrides: overrides, requireModel: false).configuration.cachePath
        try CacheRoot.checkReadable(cachePath)
        return CacheInventory(cacheRoot: cachePath)
    }

    /// The entries a reference names, or all of them; naming one that is not cached is exit 7.
    func entries(_ reference: String?) throws -> [Entry] {
        guard let reference else { return list() }
        let entries = entries(matching: reference)
        if entries.isEmpty {
            throw AIMError(
                .modelNotFound,
                "'\(reference)' is not in the cache at \(cacheRoot); `aim-runtime cache list` shows what is")
        }
        return entries
    }
}
