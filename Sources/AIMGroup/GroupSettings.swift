import AIMCore

/// How the aim-runtimes of a group find and watch each other.
public struct GroupSettings: Sendable {
    public var group: NodeGroup
    /// The profile and model this node will run: every member must run the same.
    public var profileID: String
    public var modelID: String
    /// How long the leader waits for every worker, and a worker for the leader (AIM_GROUP_TIMEOUT_SECONDS).
    public var timeout: Duration
    /// How often members tell each other they are alive (AIM_HEALTH_INTERVAL_SECONDS).
    public var heartbeat: Duration
    /// Silent intervals after which a member counts as lost (AIM_HEALTH_FAILURE_THRESHOLD).
    public var silentBeatsLimit: Int
    /// How long a new connection has to say who it is.
    public var handshake: Duration = .seconds(10)
    /// A worker's wait between attempts to reach the leader.
    public var retry: Duration = .seconds(1)
    /// How often the wait for the other members is logged.
    public var progressInterval: Duration = .seconds(30)

    public init(
        group: NodeGroup, profileID: String, modelID: String, timeout: Duration, heartbeat: Duration,
        silentBeatsLimit: Int
    ) {
        self.group = group
        self.profileID = profileID
        self.modelID = modelID
        self.timeout = timeout
        self.heartbeat = heartbeat
        self.silentBeatsLimit = silentBeatsLimit
    }

    var leaderEndpoint: String { NodeGroup.endpoint(group.leaderAddress, group.groupPort) }
}
