/// The model the user named: AIM_ID for a model-specific AIM, AIM_MODEL_ID for a base AIM.
public struct ModelIdentity: Equatable, Sendable {
    public var aimID: String?
    public var modelID: String?

    public init(aimID: String?, modelID: String?) {
        self.aimID = aimID
        self.modelID = modelID
    }
}
