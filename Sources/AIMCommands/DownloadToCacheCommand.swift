import AIMConfiguration
import AIMCore
import AIMEngine
import AIMModelStore
import Logging

/// `download-to-cache`: a model into the cache, verified; prints its local path.
public struct DownloadToCacheCommand: RuntimeCommand {
    /// The model to download (REF); nil means the one selection would choose.
    public var modelReference: String?
    /// The cache directory name for S3 models, over AIM_CUSTOM_MODEL_NAME.
    public var customModelName: String?
    public var layout: StoreSettings.Layout
    /// Check the hashes of files already cached, not only their sizes.
    public var verifyHashes: Bool
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(
        modelReference: String? = nil, customModelName: String? = nil, layout: StoreSettings.Layout = .hub,
        verifyHashes: Bool = false,
        overrides: [ConfigVariable: String] = [:]
    ) {
        self.modelReference = modelReference
        self.customModelName = customModelName
        self.layout = layout
        self.verifyHashes = verifyHashes
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: modelReference == nil)
        let text =
            if let modelReference { modelReference } else {
                try await stages.planner.modelID(stages.configuration.launchSettings)
            }
        let reference = try ModelReference.parse(text)
        let store = stages.configuration.storeSettings(
            layout: layout, verifyHashes: verifyHashes, customModelName: customModelName)
        let logger = stages.logs.logger("aim_runtime.model_store")
        let model = try await StoreSession.run(
            context, stallSeconds: store.stallSeconds, connectSeconds: store.connectSeconds
        ) { http in
            try await ModelStore(http: http, environment: context.environment, settings: store, logger: logger).ensure(
                reference)
        }
        logger.info("Model ready at \(model.summary)")
        context.standardOutput.writeLine(model.path)
        return ExitStatus.success.rawValue
    }
}
