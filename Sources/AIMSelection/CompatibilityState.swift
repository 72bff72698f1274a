/// Why a profile can or cannot be chosen, in the order listings group them.
public enum CompatibilityState: String, CaseIterable, Sendable {
    case compatible
    /// Compatible, but only chosen through AIM_PROFILE_ID.
    case manualOnly = "manual_only"
    case gpuMismatch = "gpu_mismatch"
    case precisionMismatch = "precision_mismatch"
    case modelMismatch = "model_mismatch"
    case engineMismatch = "engine_mismatch"
    case metricMismatch = "metric_mismatch"
    /// Matches, but the model cannot fit in the GPUs' memory (AIM_MEMORY_CHECK=strict or warn).
    case insufficientMemory = "insufficient_memory"
    case invalid
}
