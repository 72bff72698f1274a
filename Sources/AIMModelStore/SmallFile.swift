import Foundation

/// Reads a small file the store keeps or the user points at (a ref, a manifest, a chunk journal, a
/// token file): only a regular file, only up to `limit` bytes, and never waiting on a FIFO.
public enum SmallFile {
    /// The bytes of the file, or nil when it is absent, not a regular file, unreadable or larger than `limit`.
    public static func contents(_ path: String, limit: Int) -> Data? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size <= off_t(limit) else { return nil }
        var data = Data(count: Int(info.st_size))
        var done = 0
        while done < data.count {
            let count = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            done += count
        }
        return data.prefix(done)
    }

    public static func text(_ path: String, limit: Int) -> String? {
        contents(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }
}
