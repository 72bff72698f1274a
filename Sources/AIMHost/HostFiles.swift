import AIMCore
import AIMGPU
import Foundation

/// The host's /proc, /sys and /dev as seen under a root (`AIM_HOST_ROOT`, `/` by default), read with bounds:
/// a copied or hostile tree may hold a FIFO, a huge file or a directory of a million entries.
public struct HostFiles: Sendable {
    public let root: String

    /// Real /proc and /sys files are a page or two; /proc/self/mounts of a busy host is tens of KiB.
    static let byteLimit = 1 << 20
    /// Far more than any host has of render nodes or KFD processes.
    static let entryLimit = 4096

    public init(root: String) {
        self.root = root
    }

    /// `absolute` (e.g. `/dev/kfd`) under the root.
    public func path(_ absolute: String) -> String {
        (root.hasSuffix("/") ? String(root.dropLast()) : root) + absolute
    }

    /// The file's text, or nil when it is missing, unreadable, not a regular file or over the limit.
    public func text(_ absolute: String) -> String? {
        BoundedFile.text(path(absolute), limit: Self.byteLimit)
    }

    /// Why the file cannot be read, or nil when it can.
    public func problem(_ absolute: String) -> BoundedFile.Problem? {
        do {
            _ = try BoundedFile.read(path(absolute), limit: Self.byteLimit)
            return nil
        } catch {
            return error
        }
    }

    /// The entry names of a directory, sorted; nil when it does not exist or holds more than the limit.
    public func list(_ absolute: String) -> [String]? {
        guard case .names(let names) = SysfsFile.list(path(absolute), limit: Self.entryLimit) else { return nil }
        return names.sorted()
    }

    /// Whether anything (a device, a file, a dangling link) is at the path.
    public func exists(_ absolute: String) -> Bool {
        var info = stat()
        return lstat(path(absolute), &info) == 0
    }

    /// `crw-rw---- group 110` for a message, or nil when the path cannot be examined.
    public func ownership(_ absolute: String) -> String? {
        var info = stat()
        guard stat(path(absolute), &info) == 0 else { return nil }
        let bits = Int(info.st_mode & 0o777)
        return "mode \(String(format: "%04o", bits)), owner uid \(info.st_uid), group gid \(info.st_gid)"
    }
}
