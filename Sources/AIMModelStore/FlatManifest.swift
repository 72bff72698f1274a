import AIMCore
import Foundation
import OrderedCollections

/// `.aim-manifest.json` in a flat model directory: the source, and each file's size and ETag,
/// so a later start can verify the directory without the network.
struct FlatManifest: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        let path: String
        let size: Int64
        let etag: String?
    }

    static let fileName = ".aim-manifest.json"

    let files: [Entry]
    let source: String

    func write(to directory: String) throws {
        let document: StructuredValue = .mapping([
            "source": .string(source),
            "files": .list(
                files.map { entry in
                    .mapping([
                        "path": .string(entry.path), "size": .int(Int(entry.size)),
                        "etag": entry.etag.map(StructuredValue.string) ?? .null,
                    ])
                }),
        ])
        try CacheFileSystem.makeDirectories(directory)
        try CacheFileSystem.writeAtomically(
            JSONWriter.write(document, style: .indented) + "\n", to: directory + "/" + Self.fileName)
    }

    static func read(from directory: String) -> FlatManifest? {
        guard let text = BoundedFile.text(directory + "/" + fileName, limit: 32 << 20),
            let document = try? JSONParser.parse(text).mappingValue,
            case .list(let items)? = document["files"]
        else { return nil }
        let files = items.compactMap { item -> Entry? in
            guard let entry = item.mappingValue, let path = entry["path"]?.stringValue,
                case .int(let size)? = entry["size"], size >= 0
            else { return nil }
            return Entry(path: path, size: Int64(size), etag: entry["etag"]?.stringValue)
        }
        return FlatManifest(files: files, source: document["source"]?.stringValue ?? "")
    }
}

/// Lists the files below a directory of the cache (following the snapshot links) with their sizes.
enum CachedFiles {
    /// Regular files only; a directory too large to walk (see `DirectoryWalk`) counts as empty here,
    /// and the callers that must tell use `DirectoryWalk.list` itself.
    static func files(under directory: String) -> [(path: String, size: Int64)] {
        (try? DirectoryWalk.list(under: directory, what: directory))?.files ?? []
    }
}
