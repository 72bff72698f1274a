import AIMCore

/// Each GPU's memory, for plans made without detection (AIM_GPU_MODEL). The values are what the KFD
/// topology reports on these parts (Tests/Fixtures/gpu); MI250X and MI210 are per GCD, as ROCm shows them.
public enum GPUMemoryTable {
    static let gibibyte: Int64 = 1 << 30

    public static func bytes(for model: GPUModel) -> Int64? {
        switch model {
        case .mi300x, .mi308x: return 206_141_652_992  // 192 GB, as the MI300X's KFD memory bank reports it
        case .mi325x: return 256 * gibibyte
        case .mi350x, .mi355x: return 288 * gibibyte
        case .mi300a: return 128 * gibibyte
        case .mi250x, .mi210: return 64 * gibibyte
        case .mi100: return 32 * gibibyte
        case .w7900, .v710: return 48 * gibibyte
        case .w7800: return 32 * gibibyte
        case .w6800, .w6800x, .w6900x, .v620: return 32 * gibibyte
        case .rx9070: return 16 * gibibyte
        case .rx7900: return 24 * gibibyte
        case .rx6900, .rx6800: return 16 * gibibyte
        case .unknown, .none: return nil
        }
    }
}
