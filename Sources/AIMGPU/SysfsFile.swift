import AIMCore
import Foundation

/// Bounded reads of sysfs files and directories.
///
/// A copied or hostile tree may hold a 200 MB `properties` file, a FIFO that never
/// answers, or a directory of a million entries. Files are read through `BoundedFile`
/// (regular files only, never blocking, at most `byteLimit` bytes); listings stop at a cap.
public enum SysfsFile {
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
        let data: Data
        do {
            data = try BoundedFile.read(path, limit: limit)
        } catch {
            switch error {
            // Some attributes (gpu_busy_percent on older boards) fail to read: that is "unknown".
            case .missing, .danglingSymlink, .unreadable: return .missing
            case .notRegular: return .unusable("is not a regular file")
            case .tooLarge: return .unusable("is larger than \(limit / 1024) KiB")
            case .symlinkLoop: return .unusable("is a symlink loop")
            }
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .missing : .text(text)
    }

    public enum Listing: Equatable, Sendable {
        case names([String])
        case missing
        case tooMany
    }

    /// The entry names of a directory (without `.` and `..`), or `.tooMany` past `limit`.
    public static func list(_ path: String, limit: Int) -> Listing {
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
