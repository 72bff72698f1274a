import AIMCore
import Foundation
import Logging

/// A cross-process lock per model (flock), so that two launchers sharing a cache
/// volume never write the same files; the second waits, then reuses the result.
final class ModelLock {
    private let descriptor: Int32

    init(path: String, logger: Logger) throws {
        try CacheFileSystem.makeParent(of: path)
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw AIMError(
                .modelFetchFailed,
                "cannot create the lock \(path): \(String(cString: strerror(errno))); is AIM_CACHE_PATH writable?")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            logger.info("Another process is downloading this model; waiting for it (\(path))")
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
