import Foundation

/// One file of a cached model, with what its content was checked against.
public struct CachedFile: Equatable, Sendable {
    /// Relative to the model's directory.
    public let path: String
    public let size: Int64
    public let check: ContentCheck

    public init(path: String, size: Int64, check: ContentCheck) {
        self.path = path
        self.size = size
        self.check = check
    }

    /// A flat directory's files: the hashes its manifest recorded from the origin, else sizes only.
    public static func flatDirectory(_ directory: String) -> [CachedFile] {
        if let manifest = FlatManifest.read(from: directory) {
            return manifest.files.map {
                CachedFile(path: $0.path, size: $0.size, check: $0.etag.map(ContentCheck.forETag) ?? .sizeOnly)
            }
        }
        return CachedFiles.files(under: directory).map { CachedFile(path: $0.path, size: $0.size, check: .sizeOnly) }
    }

    /// A hub snapshot's files: each links to a blob named by its hash (the Hub's ETag).
    static func hubSnapshot(_ directory: String) -> [CachedFile] {
        CachedFiles.files(under: directory).map { file in
            let blob = (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + file.path))
                .map { ($0 as NSString).lastPathComponent }
            return CachedFile(path: file.path, size: file.size, check: blob.map(ContentCheck.forHubETag) ?? .sizeOnly)
        }
    }
}
