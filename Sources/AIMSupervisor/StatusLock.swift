import AIMCore
import Foundation

/// Makes `AIM_STATUS_PATH` belong to one `serve`: an exclusive flock on a sidecar file
/// (`PATH.lock`), held for serve's whole life and released by the kernel when it ends.
///
/// The status file itself cannot carry the lock: it is replaced by a rename at each write.
/// `health` reads only the status file, so the lock never gets in its way.
public final class StatusLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    public static func lockPath(for statusPath: String) -> String {
        statusPath + ".lock"
    }

    /// Takes the lock or throws a configuration error naming the serve that holds it.
    public static func acquire(statusPath: String) throws -> StatusLock {
        let path = lockPath(for: statusPath)
        try? FileManager.default.createDirectory(
            atPath: (statusPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var info = stat()
        if lstat(statusPath, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw unusable(statusPath, "it exists and is not a regular file")
        }
        // The descriptor closes on exec, so the engine cannot keep the lock after serve.
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw unusable(statusPath, "cannot open its lock file: \(String(cString: strerror(errno)))")
        }
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw unusable(statusPath, "its lock \(OneLineText.escape(path)) is not a regular file")
        }
        var result: Int32
        repeat { result = flock(descriptor, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw unusable(statusPath, "cannot lock its lock file: \(String(cString: strerror(code)))")
            }
            let holder =
                lockHolder(inode: UInt64(info.st_ino))
                ?? BoundedFile.contents(path, limit: 32).flatMap {
                    Int32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            let pid = holder.map(String.init) ?? "unknown"
            throw AIMError.configuration(
                "AIM_STATUS_PATH=\(OneLineText.escape(statusPath)) is in use by another serve (pid \(pid)); give each serve its own AIM_STATUS_PATH, or stop the other one"
            )
        }
        // Name the holder for a second serve's message.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return StatusLock(descriptor: descriptor)
    }

    /// The pid holding a flock on the file with this inode, from /proc/locks
    /// (`1: FLOCK  ADVISORY  WRITE 4242 fe:00:16238250 0 EOF`; waiters' lines carry `->`).
    public static func lockHolder(inode: UInt64, locks: String? = nil) -> Int32? {
        let text =
            locks ?? BoundedFile.contents("/proc/locks", limit: 4 << 20).map { String(decoding: $0, as: UTF8.self) }
            ?? ""
        for line in text.split(separator: "\n") where !line.contains("->") {
            let fields = line.split(separator: " ")
            guard fields.count > 5, fields[1] == "FLOCK",
                fields[5].split(separator: ":").last == Substring(String(inode)),
                let pid = Int32(fields[4]), pid > 0
            else { continue }
            return pid
        }
        return nil
    }

    private static func unusable(_ statusPath: String, _ reason: String) -> AIMError {
        AIMError.configuration(
            "cannot use AIM_STATUS_PATH=\(OneLineText.escape(statusPath)): \(reason); point AIM_STATUS_PATH at a file in a writable directory"
        )
    }
}
