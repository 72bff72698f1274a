import AIMCore
import AIMGPU

/// What the launch plan says the host must provide, handed to the checks by the command that planned it.
public struct LaunchFacts: Sendable {
    /// The selected profile's id and how many GPUs it uses (its tensor parallelism); nil when none could be
    /// selected, with the reason in `noProfileReason`.
    public var profileID: String?
    public var gpuCount: Int?
    public var noProfileReason: String
    /// What detection found (run even where AIM_GPU_MODEL names the hardware: the checks need the host's own
    /// GPUs); nil when detection failed, with the reason.
    public var report: GPUReport?
    public var detectionProblem: String?
    public var port: Int
    /// On a group's leader, the other ports it listens on, with their variables (`NodeGroup.leaderPorts`).
    public var leaderPorts: [(variable: String, port: Int)]
    public var engine: EngineKind
    /// The interpreter the engine runs with, or nil when none is on PATH.
    public var python: String?

    public init(
        profileID: String?, gpuCount: Int?, noProfileReason: String = "", report: GPUReport?,
        detectionProblem: String? = nil, port: Int, leaderPorts: [(variable: String, port: Int)] = [],
        engine: EngineKind, python: String?
    ) {
        self.profileID = profileID
        self.gpuCount = gpuCount
        self.noProfileReason = noProfileReason
        self.report = report
        self.detectionProblem = detectionProblem
        self.port = port
        self.leaderPorts = leaderPorts
        self.engine = engine
        self.python = python
    }

    /// Whether this host shows AMD GPUs at all (before any *_VISIBLE_DEVICES filter).
    var hostHasGPUs: Bool { (report?.detectedCount ?? 0) > 0 }

    /// The GPUs the engine will use: the first `gpuCount` visible ones (all of them without a profile).
    var launchGPUs: [GPUDevice] {
        guard let report else { return [] }
        guard let gpuCount else { return report.gpus }
        return Array(report.gpus.prefix(gpuCount))
    }

    /// "no profile could be selected (…)", for the checks that need one.
    var noProfile: String {
        noProfileReason.isEmpty ? "no profile could be selected" : "no profile could be selected (\(noProfileReason))"
    }
}
