/// `port_free`: nothing else listens on AIM_PORT (the check and the holder's name come from the supervisor's
/// PortAvailability, injected).
enum PortCheck {
    static func check(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        guard let problem = world.portProblem(facts.port) else {
            return HostCheck(.portFree, .ok, "port \(facts.port) (AIM_PORT) is free")
        }
        return HostCheck(
            .portFree, .fail, problem, fix: "stop the process holding it, or set AIM_PORT to a free port")
    }
}
