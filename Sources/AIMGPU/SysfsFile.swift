import Foundation

/// Bounded reads of sysfs files and directories.
///
/// A copied or hostile tree may hold a 200 MB `properties` file, a FIFO that never
/// answers, or a directory of a million entries. Files are opened non-blocking, only
/// regular files are read, and at most `byteLimit` bytes; listings stop at a cap.
enum SysfsFile {
    /// Real sysfs attributes are at most a page (4 KiB); KFD `properties` are about 1 KiB.
    static let byteLimit = 64 * 1024

    enum Content: Equatable {
        case text(String)
        case missing
        /// Present but not read, with the reason, e.g. "is a FIFO, not a regular file".
        case unusable(String)

        var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }
    }

    /// The file's text, trimmed; `.missing` when absent, unreadable or empty.
    static func contents(of path: String, limit: Int = byteLimit) -> Content {
        // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .missing }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .missing }
        guard status.st_mode & S_IFMT == S_IFREG else { return .unusable("is not a regular file") }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 && errno == EINTR { continue }
            // Some attributes (gpu_busy_percent on older boards) fail to read: that is "unknown".
            guard count >= 0 else { return .missing }
            if count == 0 { break }
            filled += count
        }
        guard filled <= limit else { return .unusable("is larger than \(limit / 1024) KiB") }
        let text = String(decoding: bytes[..<filled], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .missing : .text(text)
    }

    enum Listing: Equatable {
        case names([String])
        case missing
        case tooMany
    }

    /// The entry names of a directory (without `.` and `..`), or `.tooMany` past `limit`.
    static func list(_ path: String, limit: Int) -> Listing {
        guard let directory = opendir(path) else { return .missing }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            guard names.count < limit else { return .tooMany }
            names.append(name)
        }
        return .names(names)
    }
}
