/// Where GPU facts come from, in the order `auto` tries them (most trusted first).
public enum GPUSource: String, CaseIterable, Sendable {
    /// The ROCm SMI library, `librocm_smi64.so`, loaded at run time.
    case rocmSMILibrary = "rocm-smi-lib"
    /// The `rocm-smi` command-line tool's JSON output.
    case rocmSMI = "rocm-smi"
    /// The `amd-smi` command-line tool's JSON output.
    case amdSMI = "amd-smi"
    /// The KFD topology in sysfs, with DRM device files to enrich it.
    case sysfs
}
