import AIMConfiguration
import AIMCore
import AIMProfiles

/// Finds which model a profile serves and whether it is already cached.
///
/// The model is the profile's `model_id`, else AIM_MODEL_ID, else AIM_ID. An
/// `org/model` id whose directory exists under the cache root is passed to the
/// engine as that path, as in the reference; no content check is made here.
public struct ModelResolver: Sendable {
    private let directoryExists: @Sendable (String) -> Bool

    public init(directoryExists: @escaping @Sendable (String) -> Bool = ConfigurationLoader.isDirectory) {
        self.directoryExists = directoryExists
    }

    public func resolve(profile: Profile, configuration: RuntimeConfiguration) throws -> ModelResolution {
        let candidates = [profile.modelID, configuration.modelID, configuration.aimID]
        guard let id = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw AIMError.configuration("no model to serve: profile \(profile.id) has no model_id and neither AIM_MODEL_ID nor AIM_ID is set")
        }
        if id.hasPrefix("s3://") {
            return ModelResolution(id: id, argument: id, source: .s3)
        }
        if id.hasPrefix("/") {
            return ModelResolution(id: id, argument: id, source: .local)
        }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            let cached = ProfileSearchPath.join(configuration.cachePath, id)
            if directoryExists(cached) {
                return ModelResolution(id: id, argument: cached, source: .cache)
            }
        }
        return ModelResolution(id: id, argument: id, source: .huggingFace)
    }
}
