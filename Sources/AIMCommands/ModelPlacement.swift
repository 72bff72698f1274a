import AIMCore
import AIMEngine
import AIMModelStore
import Logging

/// Makes the spec's model present where the spec says the engine loads it, through the model store.
enum ModelPlacement {
    /// - Returns: what is in place: its directory, the Hub commit and each file with its checked hash.
    static func ensure(_ model: ModelResolution, context: CommandContext, stages: Stages) async throws -> CachedModel {
        if model.source == .cache {
            // A complete directory under the cache root, used as it is, as the reference does.
            return CachedModel(
                source: .local, path: model.location, commit: nil, inHubCache: false,
                files: CachedFile.flatDirectory(model.location), downloadedBytes: 0)
        }
        let reference = try ModelReference.parse(model.source == .local ? model.location : model.id)
        let store = stages.configuration.storeSettings()
        let logger = stages.logs.logger("aim_runtime.model_store")
        let stored = try await StoreSession.run(
            context, stallSeconds: store.stallSeconds, connectSeconds: store.connectSeconds
        ) { http in
            try await ModelStore(http: http, environment: context.environment, settings: store, logger: logger)
                .ensure(reference)
        }
        stages.logs.logger("aim_runtime.serve").info("Model ready at \(stored.summary)")
        try check(stored, against: model)
        return stored
    }

    /// The spec's command was final before the download; the store must have put the model there.
    static func check(_ stored: CachedModel, against model: ModelResolution) throws {
        let inPlace: Bool
        switch model.source {
        case .huggingFace, .hubCache:
            inPlace = stored.inHubCache && stored.path.hasPrefix(model.location + "/snapshots/")
        case .s3, .cache, .local: inPlace = stored.path == model.location
        }
        guard inPlace else {
            throw AIMError(
                .failure,
                "the model store put \(OneLineText.quoted(model.id)) at \(OneLineText.quoted(stored.path)), not under "
                    + "\(OneLineText.quoted(model.location)) where the launch spec loads it; please report this bug")
        }
    }
}
