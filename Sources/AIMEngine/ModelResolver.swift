import AIMCore
import AIMModelStore
import AIMProfiles

/// Finds which model a profile serves and whether it is already cached.
///
/// The model is the profile's `model_id`, else AIM_MODEL_ID, else AIM_ID. An
/// `org/model` id whose directory exists under the cache root is passed to the
/// engine as that path, as in the reference; a snapshot in the hub cache is
/// passed as the repo id with HF_HOME and HF_HUB_OFFLINE set. No content check
/// is made here: the model store verifies before `serve` starts the engine.
public struct ModelResolver: Sendable {
    private let directoryExists: @Sendable (String) -> Bool

    public init(directoryExists: @escaping @Sendable (String) -> Bool = Directory.exists) {
        self.directoryExists = directoryExists
    }

    /// - Parameter cacheRoot: AIM_CACHE_PATH, where a cached copy would be.
    public func resolve(profile: Profile, identity: ModelIdentity, cacheRoot: String) throws -> ModelResolution {
        let candidates = [profile.modelID, identity.modelID, identity.aimID]
        guard let id = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw AIMError.configuration(
                "no model to serve: profile \(profile.id) has no model_id and neither AIM_MODEL_ID nor AIM_ID is set")
        }
        if id.hasPrefix("s3://") {
            return ModelResolution(id: id, argument: id, source: .s3)
        }
        if id.hasPrefix("/") {
            return ModelResolution(id: id, argument: id, source: .local)
        }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            let cached = ProfileSearchPath.join(cacheRoot, id)
            if directoryExists(cached) && CacheInventory.isCompleteFlatDirectory(cached) {
                return ModelResolution(id: id, argument: cached, source: .cache, cachedPath: cached)
            }
        }
        if let reference = try? ModelReference.parse(id), case .huggingFace(let repo, let revision) = reference {
            let hub = HubCacheLayout(cacheRoot: cacheRoot, repo: repo)
            if let commit = hub.commit(for: revision), directoryExists(hub.snapshotDirectory(commit)),
                CacheInventory.isCompleteSnapshot(hub.snapshotDirectory(commit))
            {
                return ModelResolution(
                    id: id, argument: id, source: .hubCache, cachedPath: hub.snapshotDirectory(commit),
                    environment: [(key: "HF_HOME", value: cacheRoot), (key: "HF_HUB_OFFLINE", value: "1")])
            }
        }
        return ModelResolution(id: id, argument: id, source: .huggingFace)
    }
}
