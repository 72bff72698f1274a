import AIMCore
import AIMModelStore
import AIMProfiles

/// Finds which model a profile serves, where the engine will load it from, and whether it is cached.
///
/// The model is the profile's `model_id`, else AIM_MODEL_ID, else AIM_ID. The engine's argument is final
/// before any download, because serve puts the model exactly where this says:
/// - an `org/model` whose complete directory is under the cache root: that path, as in the reference;
/// - a Hub repo: the repo id, with HF_HOME at the cache root and HF_HUB_OFFLINE=1 (serve downloads it
///   into the hub cache first, so the engine never goes to the network);
/// - `s3://…`: the directory serve downloads it to (AIM_CUSTOM_MODEL_NAME, else the prefix's end);
/// - an absolute path: itself.
/// No content check is made here: the model store verifies before `serve` starts the engine.
public struct ModelResolver: Sendable {
    private let directoryExists: @Sendable (String) -> Bool

    public init(directoryExists: @escaping @Sendable (String) -> Bool = Directory.exists) {
        self.directoryExists = directoryExists
    }

    /// - Parameters:
    ///   - cacheRoot: AIM_CACHE_PATH, where a cached copy would be.
    ///   - customModelName: AIM_CUSTOM_MODEL_NAME, the cache directory of an S3 model.
    public func resolve(
        profile: Profile, identity: ModelIdentity, cacheRoot: String, customModelName: String? = nil
    ) throws -> ModelResolution {
        let candidates = [profile.modelID, identity.modelID, identity.aimID]
        guard let id = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw AIMError.configuration(
                "no model to serve: profile \(profile.id) has no model_id and neither AIM_MODEL_ID nor AIM_ID is set")
        }
        if id.hasPrefix("s3://") {
            guard case .s3(let bucket, let prefix) = try ModelReference.parse(id) else {
                throw AIMError.configuration("model \(OneLineText.quoted(id)) is not an S3 reference")
            }
            let name = try S3DirectoryName.checked(bucket: bucket, prefix: prefix, customName: customModelName)
            let directory = ProfileSearchPath.join(cacheRoot, name)
            let complete = directoryExists(directory) && CacheInventory.isCompleteFlatDirectory(directory)
            return ModelResolution(
                id: id, argument: directory, source: .s3, location: directory, cachedPath: complete ? directory : nil)
        }
        if id.hasPrefix("/") {
            return ModelResolution(
                id: id, argument: id, source: .local, location: id, cachedPath: directoryExists(id) ? id : nil)
        }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            let cached = ProfileSearchPath.join(cacheRoot, id)
            if directoryExists(cached) && CacheInventory.isCompleteFlatDirectory(cached) {
                return ModelResolution(id: id, argument: cached, source: .cache, location: cached, cachedPath: cached)
            }
        }
        switch try ModelReference.parse(id) {
        case .local(let path):
            // file:///path
            return ModelResolution(
                id: id, argument: path, source: .local, location: path, cachedPath: directoryExists(path) ? path : nil)
        case .s3:
            throw AIMError.configuration("model \(OneLineText.quoted(id)) is not a Hugging Face repo id")
        case .huggingFace(let repo, let revision):
            let hub = HubCacheLayout(cacheRoot: cacheRoot, repo: repo)
            let snapshot = hub.commit(for: revision).map(hub.snapshotDirectory)
            let complete = snapshot.map { directoryExists($0) && CacheInventory.isCompleteSnapshot($0) } ?? false
            // The engine gets the repo id (never `hf://` or `@revision`) and the revision as its own flag.
            return ModelResolution(
                id: id, argument: repo, source: complete ? .hubCache : .huggingFace, location: hub.repoDirectory,
                cachedPath: complete ? snapshot : nil, revision: revision == "main" ? nil : revision,
                environment: [(key: "HF_HOME", value: cacheRoot), (key: "HF_HUB_OFFLINE", value: "1")])
        }
    }
}
