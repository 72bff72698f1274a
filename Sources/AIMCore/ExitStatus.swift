/// The documented exit codes of `aim-runtime` (see docs/exit-codes.md).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// An unexpected failure: a bug, or an error no other code describes.
    case failure = 1
    /// A bad environment variable, flag or argument.
    case configuration = 2
    /// No profile is compatible with the GPUs and the user's wishes.
    case noCompatibleProfile = 3
    /// A profile file is invalid (validate-profiles, or a forced invalid profile).
    case invalidProfile = 4
    /// No AMD GPU was found and AIM_GPU_MODEL does not name one.
    case noGPU = 5
    /// The model could not be fetched: network, server errors or checksums, after retries.
    case modelFetchFailed = 6
    /// The model repository, revision or S3 prefix does not exist.
    case modelNotFound = 7
    /// The model is gated or private and no token was given.
    case modelAuthRequired = 8
    /// The token was rejected (wrong or expired).
    case modelTokenRejected = 9
    /// The token is valid but has no access yet (licence not accepted, access not granted).
    case modelAccessDenied = 10
    /// Not enough free disk space for the missing bytes.
    case diskFull = 11
    /// The engine did not become ready within AIM_STARTUP_TIMEOUT_SECONDS.
    case startupTimeout = 12
    /// The engine stopped answering its health check (restart policy `never`).
    case engineUnhealthy = 13
    /// The engine failed more often than AIM_MAX_RESTARTS allows.
    case restartBudgetSpent = 14
    /// The engine exited with code 0 before it was asked to stop.
    case engineExitedEarly = 15
    /// A host check (`doctor`, or serve's preflight) failed: the engine would not run well, or at all, here.
    case preflightFailed = 16
    /// The model cannot fit in the GPUs' memory with the profile AIM_PROFILE_ID forces (AIM_MEMORY_CHECK=strict).
    case insufficientMemory = 17
    /// A group's leader did not see every worker join (or a worker the leader) within AIM_GROUP_TIMEOUT_SECONDS.
    case groupIncomplete = 18
    /// A member of the group died or left: the group fails as a whole (LeaderWorkerSet recreates it).
    case groupMemberLost = 19

    /// The stable name used in `{"error": {"code": …}}` output.
    public var name: String {
        switch self {
        case .success: return "ok"
        case .failure: return "internal_error"
        case .configuration: return "configuration_error"
        case .noCompatibleProfile: return "no_compatible_profile"
        case .invalidProfile: return "invalid_profile"
        case .noGPU: return "no_gpu"
        case .modelFetchFailed: return "model_fetch_failed"
        case .modelNotFound: return "model_not_found"
        case .modelAuthRequired: return "model_auth_required"
        case .modelTokenRejected: return "model_token_rejected"
        case .modelAccessDenied: return "model_access_denied"
        case .diskFull: return "disk_full"
        case .startupTimeout: return "startup_timeout"
        case .engineUnhealthy: return "engine_unhealthy"
        case .restartBudgetSpent: return "restart_budget_spent"
        case .engineExitedEarly: return "engine_exited_early"
        case .preflightFailed: return "preflight_failed"
        case .insufficientMemory: return "insufficient_memory"
        case .groupIncomplete: return "group_incomplete"
        case .groupMemberLost: return "group_member_lost"
        }
    }
}
