import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file that someone else controls (a profile, a sysfs attribute, a token file) without
/// trusting it: only regular files, never blocking on a FIFO or a device, and never more than a limit.
public enum BoundedFile {
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case missing
        case danglingSymlink
        case symlinkLoop
        /// A FIFO, a socket, a device or a directory: `kind` says which.
        case notRegular(kind: String)
        case tooLarge(limit: Int)
        case unreadable(reason: String)

        public var description: String {
            switch self {
            case .missing: return "does not exist"
            case .danglingSymlink: return "is a dangling symlink: its target does not exist"
            case .symlinkLoop: return "is a symlink loop"
            case .notRegular(let kind): return "is \(kind), not a regular file"
            case .tooLarge(let limit): return "is larger than the limit of \(ByteCount.text(Int64(limit)))"
            case .unreadable(let reason): return "cannot be read: \(reason)"
            }
        }
    }

    public static func read(_ path: String, limit: Int) throws(Problem) -> Data {
        // A device or a FIFO is refused before it is opened: opening one can have effects of its own.
        var info = stat()
        guard stat(path, &info) == 0 else { throw problem(errno: errno, path: path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(kind: kind(info.st_mode)) }
        // O_NONBLOCK: should the path have become a FIFO since, opening it must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw problem(errno: errno, path: path) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { throw problem(errno: errno, path: path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(kind: kind(info.st_mode)) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: min(limit + 1, 64 << 10))
        while data.count <= limit {
            let count = buffer.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress, min($0.count, limit + 1 - data.count))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw problem(errno: errno, path: path)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
        throw .tooLarge(limit: limit)
    }

    /// The bytes, or nil when the file cannot be read within the limit, for callers to whom any problem means "unknown".
    public static func contents(_ path: String, limit: Int) -> Data? {
        try? read(path, limit: limit)
    }

    /// The file as UTF-8 text (invalid bytes replaced), or nil when it cannot be read within the limit.
    public static func text(_ path: String, limit: Int) -> String? {
        (try? read(path, limit: limit)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// What kind of entry a path is, without following a final symlink, for reports of broken files.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symlink"
        default: return "a special file"
        }
    }

    private static func problem(errno code: Int32, path: String) -> Problem {
        switch code {
        case ENOENT, ENOTDIR:
            var link = stat()
            return lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK ? .danglingSymlink : .missing
        case ELOOP: return .symlinkLoop
        default: return .unreadable(reason: String(cString: strerror(code)))
        }
    }
}
