/// This node's place in a group of nodes that run one engine together (a LeaderWorkerSet group, or
/// AIM_NODE_COUNT/AIM_NODE_RANK/AIM_LEADER_ADDRESS outside Kubernetes). The engines do the distributed
/// work; aim-runtime gives each node its part of the command and fails the group as a whole.
public struct NodeGroup: Equatable, Sendable {
    public enum Role: String, Sendable, CaseIterable {
        /// Rank 0: runs the engine's API server and answers readiness for the group.
        case leader
        /// Ranks 1…: run the engine headless.
        case worker
    }

    /// The largest group aim-runtime accepts (64 nodes of 8 GPUs is 512 ranks).
    public static let maxSize = 64

    /// Nodes in the group.
    public let size: Int
    /// 0 for the leader.
    public let rank: Int
    /// Where the workers find the leader: a DNS name or an IP address.
    public let leaderAddress: String
    /// Where the engines rendezvous (vLLM's --master-port, SGLang's --dist-init-addr port).
    public let masterPort: Int
    /// Where the leader's aim-runtime gathers the workers' aim-runtimes.
    public let groupPort: Int

    public init(size: Int, rank: Int, leaderAddress: String, masterPort: Int, groupPort: Int) {
        self.size = size
        self.rank = rank
        self.leaderAddress = leaderAddress
        self.masterPort = masterPort
        self.groupPort = groupPort
    }

    public var role: Role { rank == 0 ? .leader : .worker }

    /// What the leader listens on besides the API, with the variable that sets each: the engines' rendezvous
    /// and the group's own port.
    public var leaderPorts: [(variable: String, port: Int)] {
        [("AIM_MASTER_PORT", masterPort), ("AIM_GROUP_PORT", groupPort)]
    }

    /// The same group seen from another rank (for showing each role's command).
    public func asRank(_ rank: Int) -> NodeGroup {
        NodeGroup(
            size: size, rank: rank, leaderAddress: leaderAddress, masterPort: masterPort, groupPort: groupPort)
    }

    /// `host:port`, with an IPv6 address in brackets.
    public static func endpoint(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
