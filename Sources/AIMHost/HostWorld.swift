import AIMProcess
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Everything the checks touch of the world, injected so that fixture trees and fakes test each check in
/// milliseconds. `live(root:environment:)` is the host itself.
public struct HostWorld: Sendable {
    /// /proc, /sys and /dev under `AIM_HOST_ROOT`.
    public var files: HostFiles
    public var environment: [String: String]
    /// Whether this process may open the path for reading and writing, as the kernel decides (access(2)).
    public var canReadWrite: @Sendable (String) -> Bool
    /// The soft RLIMIT_MEMLOCK in bytes; nil when unlimited.
    public var memlockBytes: @Sendable () -> UInt64?
    /// The total size of the filesystem holding a path (statvfs), for /dev/shm without a `size=` in the mounts.
    public var filesystemBytes: @Sendable (String) -> UInt64?
    /// Why a port cannot be listened on (naming the variable that set it, and its holder where /proc shows it),
    /// or nil when it is free.
    public var portProblem: @Sendable (_ port: Int, _ variable: String) -> String?
    /// Runs a program without a shell under a time limit; the failure says why it could not be run.
    public var runProgram:
        @Sendable (_ executable: String, _ arguments: [String], _ timeout: Duration) async -> Result<
            ToolProcessOutcome, ToolProcessFailure
        >
    /// This process's id, which is never a stale VRAM holder.
    public var ownPID: Int32

    public init(
        files: HostFiles, environment: [String: String],
        canReadWrite: @escaping @Sendable (String) -> Bool = HostWorld.accessReadWrite,
        memlockBytes: @escaping @Sendable () -> UInt64? = HostWorld.memlockLimit,
        filesystemBytes: @escaping @Sendable (String) -> UInt64? = HostWorld.filesystemSize,
        portProblem: @escaping @Sendable (Int, String) -> String? = { _, _ in nil },
        runProgram:
            @escaping @Sendable (String, [String], Duration) async -> Result<ToolProcessOutcome, ToolProcessFailure> =
            HostWorld.run,
        ownPID: Int32 = getpid()
    ) {
        self.files = files
        self.environment = environment
        self.canReadWrite = canReadWrite
        self.memlockBytes = memlockBytes
        self.filesystemBytes = filesystemBytes
        self.portProblem = portProblem
        self.runProgram = runProgram
        self.ownPID = ownPID
    }

    /// The kernel's answer for this process's effective ids. Root passes; a device the container's cgroup
    /// denies still shows here only by its absence, as Docker creates only the nodes it passes.
    @Sendable public static func accessReadWrite(_ path: String) -> Bool {
        faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) == 0
    }

    @Sendable public static func memlockLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0 else { return 0 }
        return limit.rlim_cur == rlim_t.max ? nil : UInt64(limit.rlim_cur)  // RLIM_INFINITY
    }

    @Sendable public static func filesystemSize(_ path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let (bytes, overflow) = UInt64(info.f_blocks).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return overflow ? nil : bytes
    }

    @Sendable public static func run(
        _ executable: String, _ arguments: [String], _ timeout: Duration
    ) async -> Result<ToolProcessOutcome, ToolProcessFailure> {
        do {
            return .success(
                try await ToolProcess.run(
                    executable, arguments: arguments, timeout: timeout, stdoutLimit: 16 << 10, stderrLimit: 64 << 10))
        } catch {
            return .failure(error)
        }
    }
}
