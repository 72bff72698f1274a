import AIMCore
import Foundation

/// Reads a profile file without trusting what sits at its path.
///
/// Only a regular file is opened: a FIFO would block the open or the read for
/// ever, and a device could stream without end. The type is checked before
/// opening and again on the open descriptor (opened non-blocking, in case the
/// path was swapped in between), and at most `maximumBytes + 1` bytes are read.
public enum ProfileFileReader {
    /// Real profiles are a few kilobytes; this leaves room for long comments.
    public static let maximumBytes = 1 << 20

    /// Why a path cannot be read as a profile; `reason` completes "path: …".
    public struct Problem: Error, Equatable, Sendable {
        public let reason: String
    }

    public static func text(at path: String) -> Result<String, Problem> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Problem(reason: statFailure(path, errno))) }
        if let kind = nonRegularKind(info.st_mode) {
            return .failure(Problem(reason: "is \(kind), not a regular file"))
        }
        guard info.st_size <= maximumBytes else { return .failure(tooLarge) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { return .failure(Problem(reason: cannotRead(errno))) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return .failure(Problem(reason: cannotRead(errno))) }
        if let kind = nonRegularKind(info.st_mode) {
            return .failure(Problem(reason: "is \(kind), not a regular file"))
        }
        // Sized by the file, plus one byte that shows it grew; grown to the cap only if it did.
        var bytes = [UInt8](repeating: 0, count: min(max(Int(info.st_size), 0), maximumBytes) + 1)
        var count = 0
        while count < maximumBytes + 1 {
            if count == bytes.count {
                bytes += [UInt8](repeating: 0, count: min(bytes.count, maximumBytes + 1 - bytes.count))
            }
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if result == 0 { break }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(Problem(reason: cannotRead(errno)))
            }
            count += result
        }
        guard count <= maximumBytes else { return .failure(tooLarge) }
        guard let text = String(validating: bytes[..<count], as: UTF8.self) else {
            return .failure(Problem(reason: "is not UTF-8 text; save it as UTF-8"))
        }
        return .success(text)
    }

    private static var tooLarge: Problem {
        Problem(reason: "is larger than \(maximumBytes >> 20) MiB, the most a profile file may be; shorten it")
    }

    /// Says why `stat` failed, telling a dangling symlink and a symlink loop apart from a missing file.
    private static func statFailure(_ path: String, _ code: Int32) -> String {
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
            if code == ELOOP { return "is a symlink loop; point the link at a profile file" }
            if code == ENOENT { return "is a dangling symlink: its target does not exist" }
        }
        if code == ENOENT { return "does not exist" }
        return cannotRead(code)
    }

    private static func cannotRead(_ code: Int32) -> String {
        "cannot be read (\(String(cString: strerror(code)))); check that the file exists and is readable"
    }

    /// "a FIFO", "a directory"…, or nil for a regular file.
    static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symlink"
        default: return "an unknown kind of file"
        }
    }
}
