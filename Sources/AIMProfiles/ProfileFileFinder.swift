import Foundation

/// Finds `*.yaml` entries below a directory, in a stable order.
///
/// Like the reference: hidden directories are searched, `.yml` is not a
/// profile, symlinked files are followed and symlinked directories are not.
/// Unlike the reference, the order is sorted by path rather than left to the
/// filesystem, so ties in ranking break the same way everywhere.
///
/// Every entry named `*.yaml` is returned whatever it is (a FIFO, a directory,
/// a dangling symlink or a symlink loop), so that the reader reports it as
/// invalid rather than it vanishing silently. Nothing here opens a file.
public enum ProfileFileFinder {
    /// A catalogue holds hundreds of entries; a root pointed at `/` or a data volume holds millions.
    public static let maximumEntries = 20_000

    public struct Search: Sendable {
        /// Paths relative to the directory, sorted.
        public let files: [String]
        /// True when the walk stopped at `maximumEntries`, so `files` may be incomplete.
        public let stoppedEarly: Bool
    }

    /// Paths relative to `directory`, sorted; empty when it does not exist.
    public static func yamlFiles(under directory: String) -> [String] {
        search(under: directory).files
    }

    public static func search(under directory: String, limit: Int = maximumEntries) -> Search {
        var walk = Walk(limit: limit)
        walk.visit(directory, relative: "")
        return Search(files: walk.found.sorted(), stoppedEarly: walk.visited > limit)
    }

    /// Why a search stopped early, for a warning or an `invalid` line.
    public static var stoppedEarlyReason: String {
        "holds more than \(maximumEntries) entries; stopped searching it for profiles (is it really a profile directory?)"
    }

    private struct Walk {
        let limit: Int
        var found: [String] = []
        var visited = 0

        mutating func visit(_ directory: String, relative: String) {
            guard visited <= limit, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                return
            }
            for name in entries {
                visited += 1
                if visited > limit { return }
                let path = directory + "/" + name
                let relativePath = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if name.hasSuffix(".yaml") { found.append(relativePath) }
                // Only real directories are searched, so a symlink can never make the walk loop.
                if info.st_mode & S_IFMT == S_IFDIR {
                    visit(path, relative: relativePath)
                }
            }
        }
    }
}
