import AIMCore

/// The interface and address this node reaches the group's leader through.
public struct GroupRoute: Equatable, Sendable {
    public let interface: String
    public let localAddress: String

    public init(interface: String, localAddress: String) {
        self.interface = interface
        self.localAddress = localAddress
    }
}

/// Finds the route to the leader (injected: the live one asks the kernel's routing table).
public protocol GroupRouting: Sendable {
    /// Throws an `AIMError` that names the address and the fix when there is no route.
    func route(toLeader address: String) async throws -> GroupRoute
}

/// For planners that never see a group.
public struct NoGroupRouting: GroupRouting {
    /// Why there is none, for the plan to show.
    let reason: String

    public init(reason: String = "this planner has no network") {
        self.reason = reason
    }

    public func route(toLeader address: String) async throws -> GroupRoute {
        throw AIMError.configuration("no route to the leader \(address): \(reason)")
    }
}

/// A multi-node launch: the group, the route, and every role's command.
public struct GroupPlan: Sendable {
    public let group: NodeGroup
    /// nil where the route could not be found here (a dry-run away from the group): `routeProblem` says why.
    public let route: GroupRoute?
    public let routeProblem: String?
    /// The network variables the user (environment or profile) set, which aim-runtime leaves alone.
    public let userNetworkVariables: [String]
    /// The leader's and a worker's command. Only this node's role carries the network variables: another
    /// node's interface is its own to find.
    public let commands: [NodeGroup.Role: EngineCommand]

    public init(
        group: NodeGroup, route: GroupRoute?, routeProblem: String?, userNetworkVariables: [String],
        commands: [NodeGroup.Role: EngineCommand]
    ) {
        self.group = group
        self.route = route
        self.routeProblem = routeProblem
        self.userNetworkVariables = userNetworkVariables
        self.commands = commands
    }

    /// The same plan with this node's own command.
    func adding(_ command: EngineCommand) -> GroupPlan {
        GroupPlan(
            group: group, route: route, routeProblem: routeProblem, userNetworkVariables: userNetworkVariables,
            commands: commands.merging([group.role: command]) { $1 })
    }

    /// This node's network variables: those the user did not set, where the route is known.
    func networkVariables(engine: EngineKind) -> [(key: String, value: String)] {
        guard let route else { return [] }
        return Self.networkVariables(engine: engine, route: route).filter { !userNetworkVariables.contains($0.key) }
    }

    /// Without them Gloo and RCCL pick an interface themselves, often loopback, and the rendezvous hangs.
    public static func networkVariables(engine: EngineKind, route: GroupRoute) -> [(key: String, value: String)] {
        var variables = [("GLOO_SOCKET_IFNAME", route.interface), ("NCCL_SOCKET_IFNAME", route.interface)]
        // vLLM advertises this address to the other ranks.
        if engine == .vllm { variables.append(("VLLM_HOST_IP", route.localAddress)) }
        return variables
    }

    /// Every name `networkVariables` can set, whatever the engine.
    public static let networkVariableNames = Set(
        networkVariables(engine: .vllm, route: GroupRoute(interface: "", localAddress: "")).map(\.key))
}
