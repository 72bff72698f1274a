/// How a profile that cannot fit in memory is treated (AIM_MEMORY_CHECK).
public enum MemoryCheck: String, CaseIterable, Sendable {
    /// Skipped by selection; a forced one is refused.
    case strict
    /// Skipped by selection; a forced one is started with a warning.
    case warn
    /// Not estimated.
    case off
}
