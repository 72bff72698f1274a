import AIMCore
import AIMEngine
import OrderedCollections

/// The group part of a launch plan: this node's place, the network choice, and every role's command.
enum GroupPlanReport {
    static func document(_ plan: GroupPlan) -> StructuredValue {
        let group = plan.group
        var network: OrderedDictionary<String, StructuredValue> = [
            "interface": plan.route.map { .string($0.interface) } ?? .null,
            "address": plan.route.map { .string($0.localAddress) } ?? .null,
        ]
        if let problem = plan.routeProblem { network["problem"] = .string(problem) }
        network["user_variables"] = .list(plan.userNetworkVariables.map(StructuredValue.string))
        var roles: OrderedDictionary<String, StructuredValue> = [:]
        for role in NodeGroup.Role.allCases {
            guard let command = plan.commands[role] else { continue }
            roles[role.rawValue] = .mapping([
                "command": .list(SecretRedaction.redact(argv: command.argv).map(StructuredValue.string)),
                "env": LaunchPlanReport.environmentDocument(command.environment),
            ])
        }
        return .mapping([
            "size": .int(group.size),
            "rank": .int(group.rank),
            "role": .string(group.role.rawValue),
            "leader_address": .string(group.leaderAddress),
            "master_port": .int(group.masterPort),
            "group_port": .int(group.groupPort),
            "network": .mapping(network),
            "roles": .mapping(roles),
        ])
    }

    static func comments(_ plan: GroupPlan) -> [String] {
        let group = plan.group
        let network: String
        if let route = plan.route {
            network = "collectives on \(route.interface) (\(route.localAddress)), the interface that reaches the leader"
        } else {
            network = "not known here (\(plan.routeProblem ?? "no route")); serve finds it on the node"
        }
        let user =
            plan.userNetworkVariables.isEmpty
            ? "" : "; kept as set: " + plan.userNetworkVariables.joined(separator: ", ")
        return [
            ShellQuoting.comment(
                "group: rank \(group.rank) of \(group.size) (\(group.role.rawValue)); leader \(group.leaderAddress); "
                    + "engines rendezvous on \(NodeGroup.endpoint(group.leaderAddress, group.masterPort)); "
                    + "aim-runtime joins on port \(group.groupPort)"),
            ShellQuoting.comment("network: \(network)\(user)"),
        ]
    }
}
