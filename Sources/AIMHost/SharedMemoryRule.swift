/// `shm_size`: vLLM and SGLang pass tensors between their processes through /dev/shm, and RCCL uses it
/// between GPUs; Docker's default of 64 MiB ends multi-GPU runs with a bus error.
///
/// The rule (docs/doctor.md): at least 1 GiB for one GPU, and 1 GiB per GPU with tensor parallelism (8 GiB
/// for 8 GPUs, the AIM operator's default). Below 1 GiB with more than one GPU fails; any other shortfall warns.
public enum SharedMemoryRule {
    static let gibibyte: UInt64 = 1 << 30

    static func fix(_ wanted: UInt64) -> String {
        "give /dev/shm \(wanted / gibibyte) GiB or more: docker run --ipc=host or --shm-size=\(wanted / gibibyte)g; "
            + "on Kubernetes mount an emptyDir {medium: Memory, sizeLimit: \(wanted / gibibyte)Gi} at /dev/shm"
    }

    public static func required(gpuCount: Int?) -> UInt64 {
        UInt64(max(gpuCount ?? 1, 1)) * gibibyte
    }

    static func check(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        let wanted = required(gpuCount: facts.gpuCount)
        guard let size = size(world) else {
            return HostCheck(
                .shmSize, .warn,
                "the size of \(world.files.path("/dev/shm")) cannot be told (not in \(world.files.path("/proc/self/mounts")), and statfs fails)",
                fix: fix(wanted))
        }
        let shown = "\(world.files.path("/dev/shm")) is \(ByteText.text(size.bytes))\(size.from)"
        let basis = facts.gpuCount.map { "\($0) GPU(s) need at least \(ByteText.text(wanted))" } ?? facts.noProfile
        if size.bytes >= wanted {
            return HostCheck(
                .shmSize, facts.gpuCount == nil ? .warn : .ok,
                facts.gpuCount == nil ? "\(shown); \(basis): checked against 1 GiB" : "\(shown); \(basis)",
                fix: facts.gpuCount == nil ? "select a profile (AIM_ID or AIM_MODEL_ID, AIM_GPU_MODEL)" : "")
        }
        let status: CheckStatus = (facts.gpuCount ?? 1) > 1 && size.bytes < gibibyte ? .fail : .warn
        return HostCheck(.shmSize, status, "\(shown), less than \(basis)", fix: fix(wanted))
    }

    /// The tmpfs `size=` of the /dev/shm mount, else statfs of the directory.
    static func size(_ world: HostWorld) -> (bytes: UInt64, from: String)? {
        if let mounts = world.files.text("/proc/self/mounts"), let bytes = mountSize(mounts) {
            return (bytes, "")
        }
        return world.filesystemBytes(world.files.path("/dev/shm")).map { ($0, " (statfs)") }
    }

    /// `tmpfs /dev/shm tmpfs rw,nosuid,nodev,size=65536k 0 0` → 64 MiB; the last /dev/shm mount wins.
    public static func mountSize(_ mounts: String) -> UInt64? {
        var found: UInt64?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4, fields[1] == "/dev/shm" else { continue }
            found = nil
            for option in fields[3].split(separator: ",") where option.hasPrefix("size=") {
                found = parseSize(option.dropFirst(5))
            }
        }
        return found
    }

    /// The kernel prints tmpfs sizes in KiB with a `k`; a bare number is bytes.
    static func parseSize(_ text: Substring) -> UInt64? {
        let units: [Character: UInt64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
        var digits = text
        var unit: UInt64 = 1
        if let last = text.last, let scale = units[Character(last.lowercased())] {
            unit = scale
            digits = text.dropLast()
        }
        guard digits.count <= 18, let value = UInt64(digits) else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : bytes
    }
}
