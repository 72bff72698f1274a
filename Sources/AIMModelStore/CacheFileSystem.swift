import AIMCore
import Foundation

/// The cache's few writes outside file transfers (directories, links, small files), through POSIX calls,
/// so that a failure says which path and the system's reason, never a Foundation error dump.
enum CacheFileSystem {
    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw failure("cannot create the directory", prefix) }
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw AIMError(
                .modelFetchFailed,
                "cannot create the directory \(path): a file of that name is in the way; remove it or run `aim-runtime cache verify`"
            )
        }
    }

    /// Makes `path`'s parent directory.
    static func makeParent(of path: String) throws {
        try makeDirectories((path as NSString).deletingLastPathComponent)
    }

    /// Points `path` at `target` (relative), replacing what was there.
    static func link(_ path: String, to target: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure("cannot replace", path) }
        if symlink(target, path) != 0 { throw failure("cannot create the link", path) }
    }

    /// Writes through a temporary name and a rename, so readers never see half a file.
    static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot write", temporary) }
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let error = failure("cannot write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            done += count
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot move into place", path)
            unlink(temporary)
            throw error
        }
    }

    /// The error for a failed call, from `errno`: a full disk is exit 11, anything else exit 6.
    static func failure(_ what: String, _ path: String) -> AIMError {
        let code = errno
        if code == ENOSPC || code == EDQUOT {
            return AIMError(
                .diskFull, "the disk is full (\(what) \(path)); free space or point AIM_CACHE_PATH at a larger volume")
        }
        return AIMError(
            .modelFetchFailed, "\(what) \(path): \(String(cString: strerror(code))); is AIM_CACHE_PATH writable?")
    }
}
