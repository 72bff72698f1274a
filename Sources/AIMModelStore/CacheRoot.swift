import AIMCore
import Foundation

/// The cache root (`AIM_CACHE_PATH`), checked before a model is fetched or listed: a file in its
/// place, or a directory that cannot be made, is a configuration error naming the variable.
public enum CacheRoot {
    static let fix = "point AIM_CACHE_PATH (or --cache-path) at a writable directory"

    /// Makes sure `path` is a directory we can write, creating it and its parents as needed.
    public static func prepare(_ path: String) throws {
        guard !path.isEmpty else { throw AIMError.configuration("AIM_CACHE_PATH is empty; \(fix)") }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw AIMError.configuration(
                        "AIM_CACHE_PATH=\(OneLineText.quoted(path, limit: 200)) cannot be used: \(OneLineText.quoted(prefix, limit: 200)) is not a directory; \(fix)"
                    )
                }
                continue
            }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw AIMError.configuration(
                    "AIM_CACHE_PATH=\(OneLineText.quoted(path, limit: 200)) cannot be created: \(OneLineText.quoted(prefix, limit: 200)): \(String(cString: strerror(errno))); \(fix)"
                )
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw AIMError.configuration(
                "AIM_CACHE_PATH=\(OneLineText.quoted(path, limit: 200)) is not writable: \(String(cString: strerror(errno))); \(fix)"
            )
        }
    }

    /// For commands that only read the cache: a missing root is an empty cache, anything but a directory is an error.
    public static func checkReadable(_ path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw AIMError.configuration(
                "AIM_CACHE_PATH=\(OneLineText.quoted(path, limit: 200)) cannot be read: \(String(cString: strerror(errno))); \(fix)"
            )
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw AIMError.configuration(
                "AIM_CACHE_PATH=\(OneLineText.quoted(path, limit: 200)) is not a directory; \(fix)")
        }
    }
}
