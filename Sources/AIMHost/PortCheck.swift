/// `port_free`: nothing else listens on AIM_PORT, nor, on a group's leader, on AIM_MASTER_PORT and
/// AIM_GROUP_PORT (the check and the holder's name come from the supervisor's PortAvailability, injected).
enum PortCheck {
    static func check(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        let ports = [(variable: "AIM_PORT", port: facts.port)] + facts.leaderPorts
        let taken = ports.compactMap { port in world.portProblem(port.port, port.variable).map { (port, $0) } }
        guard taken.isEmpty else {
            return HostCheck(
                .portFree, .fail, taken.map(\.1).joined(separator: "; "),
                fix:
                    "stop the process holding it, or set \(taken.map(\.0.variable).joined(separator: " and ")) to a free port"
            )
        }
        let named = ports.map { "\($0.port) (\($0.variable))" }.joined(separator: ", ")
        return HostCheck(.portFree, .ok, ports.count == 1 ? "port \(named) is free" : "ports \(named) are free")
    }
}
