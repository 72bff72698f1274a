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
    /// Paths relative to `directory`, sorted; empty when it does not exist.
    public static func yamlFiles(under directory: String) -> [String] {
        var found: [String] = []
        walk(directory, relative: "", into: &found)
        return found.sorted()
    }

    private static func walk(_ directory: String, relative: String, into found: inout [String]) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in entries {
            let path = directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if name.hasSuffix(".yaml") { found.append(relativePath) }
            // Only real directories are searched, so a symlink can never make the walk loop.
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, relative: relativePath, into: &found)
            }
        }
    }
}
