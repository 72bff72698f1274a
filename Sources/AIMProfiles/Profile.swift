import AIMCore
import OrderedCollections

/// A validated profile: one way to run a model on given hardware.
public struct Profile: Equatable, Sendable {
    public let id: String
    public let location: ProfileLocation
    /// Empty for general profiles.
    public let aimID: String
    /// The model to load; empty means AIM_MODEL_ID or AIM_ID.
    public let modelID: String
    public var metadata: ProfileMetadata
    public let engineArgs: OrderedDictionary<String, StructuredValue>
    public let envVars: OrderedDictionary<String, StructuredValue>
    /// The file as written, shown verbatim by `dry-run`.
    public let rawText: String
    /// The file as parsed, for the reference-compatible `dry-run --format json`.
    public let document: StructuredValue

    public init(
        id: String, location: ProfileLocation, aimID: String, modelID: String, metadata: ProfileMetadata,
        engineArgs: OrderedDictionary<String, StructuredValue>, envVars: OrderedDictionary<String, StructuredValue>,
        rawText: String, document: StructuredValue
    ) {
        self.id = id
        self.location = location
        self.aimID = aimID
        self.modelID = modelID
        self.metadata = metadata
        self.engineArgs = engineArgs
        self.envVars = envVars
        self.rawText = rawText
        self.document = document
    }

    public var isGeneral: Bool { location.isGeneral }

    /// Where the profile came from for display: custom wins over general for `custom/general/*`.
    public var source: ProfileSource {
        if location.isCustom { return .custom }
        return location.isGeneral ? .general : .model
    }
}
