import AIMCore
import Foundation
import Logging

/// What is in the cache: listing, verifying and removing models.
public struct CacheInventory: Sendable {
    public struct Entry: Equatable, Sendable {
        /// `hf://org/name` or the flat directory's recorded source.
        public let reference: String
        public let layout: StoreSettings.Layout
        public let path: String
        public let bytes: Int64
        public let fileCount: Int
        /// Revision → commit, for hub-cache models.
        public let refs: [String: String]
    }

    public struct Problem: Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    public let cacheRoot: String

    public init(cacheRoot: String) {
        self.cacheRoot = cacheRoot
    }

    public func list() -> [Entry] {
        hubEntries() + flatEntries()
    }

    private func hubEntries() -> [Entry] {
        let hub = cacheRoot + "/hub"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: hub)) ?? []).filter {
            $0.hasPrefix("models--")
        }.sorted()
        return names.map { name in
            let repo = name.dropFirst("models--".count).replacingOccurrences(of: "--", with: "/")
            let layout = HubCacheLayout(cacheRoot: cacheRoot, repo: repo)
            let blobs = CachedFiles.files(under: layout.blobsDirectory).filter {
                !$0.path.hasSuffix(".incomplete") && !$0.path.hasSuffix(".chunks")
            }
            let refNames = (try? FileManager.default.contentsOfDirectory(atPath: layout.repoDirectory + "/refs")) ?? []
            let refs = Dictionary(
                uniqueKeysWithValues: refNames.compactMap { ref in layout.commit(for: ref).map { (ref, $0) } })
            return Entry(
                reference: "hf://\(repo)", layout: .hub, path: layout.repoDirectory,
                bytes: ByteSum.saturating(blobs.map(\.size)), fileCount: blobs.count, refs: refs)
        }
    }

    /// Flat directories are those holding a manifest, up to three levels below the root; at most
    /// `maximumDirectories` are looked into, so a cache path such as `/` cannot stall a listing.
    static let maximumDirectories = 10_000

    private func flatEntries() -> [Entry] {
        var entries: [Entry] = []
        var visited = 0
        func visit(_ directory: String, depth: Int) {
            visited += 1
            guard visited <= Self.maximumDirectories else { return }
            if let manifest = FlatManifest.read(from: directory) {
                entries.append(
                    Entry(
                        reference: manifest.source, layout: .flat, path: directory,
                        bytes: ByteSum.saturating(manifest.files.map(\.size)), fileCount: manifest.files.count,
                        refs: [:]))
                return
            }
            guard depth < 3, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
            for name in names.sorted() where !name.hasPrefix(".") && name != "hub" {
                let child = directory + "/" + name
                var info = stat()
                if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { visit(child, depth: depth + 1) }
            }
        }
        visit(cacheRoot, depth: 0)
        return entries
    }

    /// Checks every file's size and hash; corrupt or partial files are removed so the next download fetches them again.
    /// Links that lead nowhere (dangling, loops) and entries that are not regular files are reported and removed
    /// too: the engine could not read them, so the model is broken, not "ok (0 files)".
    public func verify(_ entry: Entry) throws -> [Problem] {
        try StoreErrorBoundary.run("cache check") { try findProblems(entry) }
    }

    private func findProblems(_ entry: Entry) throws -> [Problem] {
        var problems: [Problem] = []
        func remove(_ path: String, _ reason: String) throws {
            problems.append(Problem(path: path, reason: reason + "; removed"))
            try FileTransfer.removeIfPresent(path)
        }
        switch entry.layout {
        case .hub:
            let blobs = try DirectoryWalk.list(
                under: entry.path + "/blobs", what: "the cache directory \(entry.path)/blobs")
            for (relative, reason) in blobs.broken { try remove(entry.path + "/blobs/" + relative, reason) }
            for blob in blobs.files {
                let path = entry.path + "/blobs/" + blob.path
                if blob.path.hasSuffix(".incomplete") || blob.path.hasSuffix(".chunks") {
                    try remove(path, "an interrupted download")
                } else if !(try ContentCheck.forHubETag(blob.path).matches(fileAt: path, size: blob.size)) {
                    try remove(path, "content does not match its name (\(ContentCheck.forHubETag(blob.path)))")
                }
            }
            let snapshots = try DirectoryWalk.list(
                under: entry.path + "/snapshots", what: "the cache directory \(entry.path)/snapshots")
            for (relative, reason) in snapshots.broken { try remove(entry.path + "/snapshots/" + relative, reason) }
        case .flat:
            let listing = try DirectoryWalk.list(under: entry.path, what: "the cache directory \(entry.path)")
            for (relative, reason) in listing.broken { try remove(entry.path + "/" + relative, reason) }
            let brokenPaths = Set(listing.broken.map(\.path))
            for file in FlatManifest.read(from: entry.path)?.files ?? [] where !brokenPaths.contains(file.path) {
                let path = entry.path + "/" + file.path
                var info = stat()
                let check: ContentCheck =
                    file.etag.map { $0.count == 32 ? .md5($0.lowercased()) : ContentCheck.forHubETag($0) } ?? .sizeOnly
                if stat(path, &info) != 0 {
                    problems.append(Problem(path: path, reason: "missing"))
                } else if !(try check.matches(fileAt: path, size: file.size)) {
                    try remove(path, "size or \(check) mismatch")
                }
            }
        }
        return problems
    }

    /// Whether a flat model directory can be handed to the engine: no interrupted download in it,
    /// and, where it has a manifest, every listed file present with its size. Directories written by
    /// the reference have no manifest and are taken as they are.
    public static func isCompleteFlatDirectory(_ directory: String) -> Bool {
        let files = CachedFiles.files(under: directory)
        if files.contains(where: { $0.path.hasSuffix(".incomplete") || $0.path.hasSuffix(".incomplete.chunks") }) {
            return false
        }
        guard let manifest = FlatManifest.read(from: directory) else { return true }
        let sizes = Dictionary(files.map { ($0.path, $0.size) }, uniquingKeysWith: { first, _ in first })
        return manifest.files.allSatisfy { sizes[$0.path] == $0.size }
    }

    /// Whether every file of a hub snapshot resolves to a blob (a removed blob leaves a dangling link).
    public static func isCompleteSnapshot(_ directory: String) -> Bool {
        guard let listing = try? DirectoryWalk.list(under: directory, what: directory) else { return false }
        var isDirectory: ObjCBool = false
        return listing.broken.isEmpty && FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// Files and bytes below a directory, links followed (a hub snapshot's size).
    public static func size(of directory: String) -> (files: Int, bytes: Int64) {
        let files = CachedFiles.files(under: directory)
        return (files.count, ByteSum.saturating(files.map(\.size)))
    }

    public func remove(_ entry: Entry) throws {
        do {
            try FileManager.default.removeItem(atPath: entry.path)
        } catch {
            throw AIMError(
                .modelFetchFailed,
                "cannot remove \(entry.path) completely; check its permissions (is AIM_CACHE_PATH writable?)",
                cause: error)
        }
    }

    /// The entries a reference names: `hf://org/name`, `org/name`, `s3://…` or a flat directory name.
    public func entries(matching text: String) -> [Entry] {
        let wanted: String
        if let reference = try? ModelReference.parse(text), case .huggingFace(let repo, _) = reference {
            wanted = "hf://\(repo)"
        } else {
            wanted = text
        }
        return list().filter { entry in
            entry.reference == wanted || entry.reference.hasPrefix(wanted + "@") || entry.reference == text
                || entry.path == cacheRoot + "/" + text
        }
    }
}
