import AIMCore
import AIMModelStore

extension CacheInventory {
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
