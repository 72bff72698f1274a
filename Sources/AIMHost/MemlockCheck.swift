/// `memlock`: ROCm pins host memory for transfers; a small RLIMIT_MEMLOCK (Docker's 8 MiB) makes pinning fail
/// or fall back to slower paths. Unlimited, or at least 16 GiB, is fine; anything less warns.
enum MemlockCheck {
    static let enough: UInt64 = 16 << 30
    static let fix =
        "raise the locked-memory limit: docker run --ulimit memlock=-1:-1; in Kubernetes the container runtime's default ulimits (e.g. LimitMEMLOCK=infinity for containerd)"

    static func check(_ world: HostWorld) -> HostCheck {
        guard let bytes = world.memlockBytes() else {
            return HostCheck(.memlock, .ok, "the locked-memory limit (RLIMIT_MEMLOCK) is unlimited")
        }
        guard bytes >= enough else {
            return HostCheck(
                .memlock, .warn,
                "the locked-memory limit (RLIMIT_MEMLOCK) is \(ByteText.text(bytes)), less than \(ByteText.text(enough)): "
                    + "ROCm cannot pin enough host memory for fast transfers",
                fix: fix)
        }
        return HostCheck(.memlock, .ok, "the locked-memory limit (RLIMIT_MEMLOCK) is \(ByteText.text(bytes))")
    }
}
