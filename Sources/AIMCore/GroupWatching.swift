/// How a group of nodes ended for this node.
public struct GroupLoss: Equatable, Sendable {
    /// The member that left: a worker's rank on the leader, 0 on a worker.
    public let rank: Int
    public let reason: String
    /// The leader ended the group on purpose (it was asked to stop): a worker stops too, with success.
    public let orderly: Bool

    public init(rank: Int, reason: String, orderly: Bool = false) {
        self.rank = rank
        self.reason = reason
        self.orderly = orderly
    }
}

/// The other members of this node's group, as serve's supervisor sees them.
public protocol GroupWatching: Sendable {
    /// Returns when a member dies or leaves (nil if the task is cancelled first).
    func loss() async -> GroupLoss?
    /// Tells the other members this node is ending, and why, then closes the connections.
    func end(ok: Bool, reason: String) async
}
