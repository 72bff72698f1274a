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

    /// The stable name used in `{"error": {"code": …}}` output.
    public var name: String {
        switch self {
        case .success: return "ok"
        case .failure: return "internal_error"
        case .configuration: return "configuration_error"
        case .noCompatibleProfile: return "no_compatible_profile"
        case .invalidProfile: return "invalid_profile"
        case .noGPU: return "no_gpu"
        }
    }
}
