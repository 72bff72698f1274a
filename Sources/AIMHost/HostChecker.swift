/// Runs the checks in their documented order: all of them for `doctor`, the fast ones for serve's preflight.
public struct HostChecker: Sendable {
    public let world: HostWorld
    public let facts: LaunchFacts
    /// nil when no profile, and so no model, could be selected.
    public let model: ModelFacts?

    public init(world: HostWorld, facts: LaunchFacts, model: ModelFacts?) {
        self.world = world
        self.facts = facts
        self.model = model
    }

    /// - Parameter ids: which checks, always run and reported in `CheckID` order.
    /// - Parameter askHub: whether `hf_token` may ask the Hub if the model is gated.
    public func run(_ ids: [CheckID] = CheckID.allCases, askHub: Bool = true) async -> [HostCheck] {
        var checks: [HostCheck] = []
        for id in CheckID.allCases where ids.contains(id) {
            checks.append(await run(id, askHub: askHub))
        }
        return checks
    }

    private func run(_ id: CheckID, askHub: Bool) async -> HostCheck {
        switch id {
        case .kfdAccess: return DeviceAccessCheck.kfd(world, facts)
        case .renderAccess: return DeviceAccessCheck.render(world, facts)
        case .shmSize: return SharedMemoryRule.check(world, facts)
        case .numaBalancing: return KernelSettingChecks.numaBalancing(world)
        case .iommuPT: return KernelSettingChecks.iommuPassThrough(world, facts)
        case .vramInUse: return VRAMInUseCheck.check(world, facts)
        case .memlock: return MemlockCheck.check(world)
        case .cacheDisk: return await CacheDiskCheck.check(model, facts)
        case .portFree: return PortCheck.check(world, facts)
        case .hfToken: return await HubTokenCheck.check(world, model, facts, askHub: askHub)
        case .visibleDevices: return VisibleDevicesCheck.check(world, facts)
        case .engineImport: return await EngineImportCheck.check(world, facts)
        }
    }
}
