import AIMCore

/// What `list-profiles` shows above its rows: the request the profiles were judged against.
public struct ProfileListHeading: Sendable {
    public var aimID: String?
    public var modelID: String?
    public var engine: EngineKind
    public var metric: Metric
    /// nil means `auto`.
    public var precision: Precision?
    public var profileRoot: String
    /// Nodes in the group; 1 outside one.
    public var nodeCount = 1

    public init(
        aimID: String?, modelID: String?, engine: EngineKind, metric: Metric, precision: Precision?, profileRoot: String
    ) {
        self.aimID = aimID
        self.modelID = modelID
        self.engine = engine
        self.metric = metric
        self.precision = precision
        self.profileRoot = profileRoot
    }
}
