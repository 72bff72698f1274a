import Foundation

/// Free bytes on the volume of a path, for the check before a download.
public enum DiskSpace {
    public static func available(at path: String) -> Int64? {
        var info = statvfs()
        var probe = path
        // The cache directory may not exist yet: ask about its nearest existing parent.
        while statvfs(probe, &info) != 0 {
            guard probe != "/", !probe.isEmpty else { return nil }
            probe = (probe as NSString).deletingLastPathComponent
        }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
