/// How one host check came out. `fail` means the engine would not start, or not work, here.
public enum CheckStatus: String, Comparable, Sendable {
    case ok, warn, fail

    private var rank: Int {
        switch self {
        case .ok: return 0
        case .warn: return 1
        case .fail: return 2
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.rank < rhs.rank }
}

/// The checks, in the order `doctor` reports them (docs/doctor.md: the ids are a contract).
public enum CheckID: String, CaseIterable, Sendable {
    case kfdAccess = "kfd_access"
    case renderAccess = "render_access"
    case shmSize = "shm_size"
    case numaBalancing = "numa_balancing"
    case iommuPT = "iommu_pt"
    case vramInUse = "vram_in_use"
    case memlock
    case cacheDisk = "cache_disk"
    case portFree = "port_free"
    case hfToken = "hf_token"
    case visibleDevices = "visible_devices"
    case engineImport = "engine_import"

    /// What serve's preflight runs: the checks that take milliseconds and ask no server. The rest is left out
    /// for a reason each: serve checks the port itself before every start (exit 2), the model store checks
    /// the disk before it downloads (exit 11) and is past its download by then, so neither the disk nor a
    /// token matters any more, and importing the engine takes seconds that the engine's own start repeats.
    public static let preflight: [CheckID] = [
        .kfdAccess, .renderAccess, .shmSize, .numaBalancing, .iommuPT, .vramInUse, .memlock, .visibleDevices,
    ]
}

/// One row of `doctor`: the verdict, what was found, and the one-line fix (empty when there is nothing to fix).
public struct HostCheck: Equatable, Sendable {
    public let id: CheckID
    public let status: CheckStatus
    public let message: String
    public let fix: String

    public init(_ id: CheckID, _ status: CheckStatus, _ message: String, fix: String = "") {
        self.id = id
        self.status = status
        self.message = message
        self.fix = status == .ok ? "" : fix
    }
}
