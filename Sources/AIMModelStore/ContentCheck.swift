import AIMCore
import Crypto
import Foundation

/// What a downloaded file must match before it is moved into place.
public enum ContentCheck: Equatable, Sendable, CustomStringConvertible {
    /// The LFS sha256 the Hub lists for large files.
    case sha256(String)
    /// The git blob id the Hub uses as the ETag of small files: sha1("blob <size>\0" + content).
    case gitBlobSHA1(String)
    /// A single-part S3 object's ETag.
    case md5(String)
    /// Only the size can be checked (multipart S3 objects).
    case sizeOnly

    public var description: String {
        switch self {
        case .sha256(let hex): return "sha256 \(hex)"
        case .gitBlobSHA1(let hex): return "git sha1 \(hex)"
        case .md5(let hex): return "md5 \(hex)"
        case .sizeOnly: return "size"
        }
    }

    /// An ETag recorded in a flat manifest, from the Hub (sha256, git sha1) or S3 (md5).
    static func forETag(_ etag: String) -> ContentCheck {
        guard etag.allSatisfy(\.isHexDigit) else { return .sizeOnly }
        return etag.count == 32 ? .md5(etag.lowercased()) : forHubETag(etag)
    }

    /// The Hub's ETag names a blob: 64 hex digits are a sha256, 40 a git sha1.
    static func forHubETag(_ etag: String) -> ContentCheck {
        switch etag.count {
        case 64: return .sha256(etag.lowercased())
        case 40: return .gitBlobSHA1(etag.lowercased())
        default: return .sizeOnly
        }
    }

    /// Whether the file at `path` has this content; reads it once, in 4 MiB blocks.
    func matches(fileAt path: String, size: Int64) throws -> Bool {
        // Only a regular file: opening a FIFO would wait for a writer for ever.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: path)
        else { return false }
        defer { try? handle.close() }
        var hasher = ContentHasher(self, size: size)
        var read: Int64 = 0
        while let block = try Self.readBlock(handle, path: path), !block.isEmpty {
            read += Int64(block.count)
            hasher.update(block)
        }
        return read == size && hasher.matches()
    }

    /// A read error names the file and the system's reason, not Foundation's error domain.
    private static func readBlock(_ handle: FileHandle, path: String) throws -> Data? {
        do {
            return try handle.read(upToCount: 4 << 20)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].flatMap { ($0 as? NSError)?.code }.map {
                String(cString: strerror(Int32(truncatingIfNeeded: $0)))
            }
            throw AIMError(
                .modelFetchFailed,
                "cannot read \(path) to check its content\(reason.map { ": " + $0 } ?? ""); check the cache volume",
                cause: error)
        }
    }

    static func hex<D: Digest>(_ digest: D) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A content check fed in order, block by block: what `ContentCheck.matches` reads from a file, or what
/// a download hashes while its later ranges are still arriving.
struct ContentHasher {
    private let check: ContentCheck
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()
    private var md5 = Insecure.MD5()

    init(_ check: ContentCheck, size: Int64) {
        self.check = check
        if case .gitBlobSHA1 = check { sha1.update(data: Data("blob \(size)\0".utf8)) }
    }

    mutating func update<D: DataProtocol>(_ data: D) {
        switch check {
        case .sha256: sha256.update(data: data)
        case .gitBlobSHA1: sha1.update(data: data)
        case .md5: md5.update(data: data)
        case .sizeOnly: break
        }
    }

    func matches() -> Bool {
        switch check {
        case .sha256(let hex): return ContentCheck.hex(sha256.finalize()) == hex
        case .gitBlobSHA1(let hex): return ContentCheck.hex(sha1.finalize()) == hex
        case .md5(let hex): return ContentCheck.hex(md5.finalize()) == hex
        case .sizeOnly: return true
        }
    }
}
