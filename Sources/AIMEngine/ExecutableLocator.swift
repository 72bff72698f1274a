import Foundation

/// Finds programs on PATH, as `shutil.which` does.
public struct ExecutableLocator: Sendable {
    private let searchPath: [String]

    /// - Parameter path: `PATH`; when unset, the POSIX default `/bin:/usr/bin`.
    public init(path: String?) {
        searchPath = (path ?? "/bin:/usr/bin").split(separator: ":").map(String.init)
    }

    public func find(_ name: String) -> String? {
        for directory in searchPath {
            let candidate = directory + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }

    /// `python` when it is on PATH, else `python3`: the reference's choice.
    public var pythonName: String { find("python") != nil ? "python" : "python3" }
}
