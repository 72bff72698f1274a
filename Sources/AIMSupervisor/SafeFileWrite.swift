import Foundation

/// File writes that cannot hang, for paths that come from settings: opened without blocking
/// (a FIFO nobody reads would block `open` forever), and never through a planted symlink.
/// Reads go through AIMCore's `BoundedFile`.
public enum SafeFileWrite {
    /// Replaces the contents of an existing file (never creates one), without blocking:
    /// a FIFO nobody reads gets nothing instead of hanging the launcher at exit.
    @discardableResult
    static func overwriteExisting(_ path: String, with bytes: [UInt8]) -> Bool {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return writeAll(bytes, to: descriptor)
    }

    /// Replaces the file at `path` through a temporary file and a rename, so a reader never sees half a
    /// file; makes its directory first. False when it cannot be written.
    @discardableResult
    public static func replace(_ path: String, with bytes: [UInt8]) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        guard create(temporary, with: bytes) else { return false }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Writes `bytes` to a new file at `path` (a stale one, whatever it is, is removed first,
    /// and a symlink planted there is not followed).
    static func create(_ path: String, with bytes: [UInt8]) -> Bool {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return writeAll(bytes, to: descriptor)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
