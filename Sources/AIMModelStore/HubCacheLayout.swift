import AIMCore
import Foundation

/// The Hugging Face hub cache, exactly as huggingface_hub writes it, under `<cache>/hub`:
///
///     models--org--name/blobs/<etag>
///     models--org--name/snapshots/<commit>/<file>  → ../../blobs/<etag>
///     models--org--name/refs/<revision>            (holds the commit)
///
/// So the engine loads it with `HF_HOME=<cache>` and `HF_HUB_OFFLINE=1`.
public struct HubCacheLayout: Sendable {
    public let cacheRoot: String
    public let repo: String

    public init(cacheRoot: String, repo: String) {
        self.cacheRoot = cacheRoot
        self.repo = repo
    }

    public var hubDirectory: String { cacheRoot + "/hub" }
    public var repoDirectory: String { hubDirectory + "/models--" + repo.replacingOccurrences(of: "/", with: "--") }
    public var blobsDirectory: String { repoDirectory + "/blobs" }

    public func blobPath(_ etag: String) -> String { blobsDirectory + "/" + etag }
    public func snapshotDirectory(_ commit: String) -> String { repoDirectory + "/snapshots/" + commit }
    public func refPath(_ revision: String) -> String { repoDirectory + "/refs/" + revision }

    /// The commit a revision points at: the ref file's content, or the revision itself if it is a commit.
    public func commit(for revision: String) -> String? {
        if let text = BoundedFile.text(refPath(revision), limit: 4096) {
            let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !commit.isEmpty { return commit }
        }
        let isCommit = revision.count == 40 && revision.allSatisfy(\.isHexDigit)
        return isCommit && FileManager.default.fileExists(atPath: snapshotDirectory(revision)) ? revision : nil
    }

    /// Links `snapshots/<commit>/<file>` to its blob with a relative link, as huggingface_hub does.
    func link(file: String, commit: String, etag: String) throws {
        let target = snapshotDirectory(commit) + "/" + file
        try CacheFileSystem.makeParent(of: target)
        let depth = file.split(separator: "/").count + 1
        let relative = String(repeating: "../", count: depth) + "blobs/" + etag
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: target)) == relative { return }
        try CacheFileSystem.link(target, to: relative)
    }

    func writeRef(_ revision: String, commit: String) throws {
        guard revision != commit else { return }
        let path = refPath(revision)
        try CacheFileSystem.makeParent(of: path)
        try CacheFileSystem.writeAtomically(commit, to: path)
    }
}
