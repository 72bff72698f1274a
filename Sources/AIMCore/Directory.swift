import Foundation

/// Directory checks shared by the stages that take paths from the user.
public enum Directory {
    /// Whether a directory is at `path` (a symlink to one counts).
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
