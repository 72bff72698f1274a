import AIMCore
import Foundation

/// What a bounded walk found below a directory: regular files (links followed, as a hub snapshot's
/// are) and entries that cannot be read as files, so a cache check never mistakes them for "nothing".
struct DirectoryListing {
    var files: [(path: String, size: Int64)] = []
    /// Dangling links, link loops, FIFOs, sockets and devices, with why each is unusable.
    var broken: [(path: String, reason: String)] = []
}

/// Walks a directory with limits on entries, depth and time: a user-given path such as `/` must
/// fail in well under a second, not enumerate the whole machine.
enum DirectoryWalk {
    static let maximumEntries = 20_000
    static let maximumDepth = 32
    static let maximumSeconds: Double = 2

    /// - Parameter what: names the path in the error, e.g. "the local model directory /".
    static func list(under directory: String, what: String) throws -> DirectoryListing {
        var listing = DirectoryListing()
        // Foundation's enumerator lists nothing below a root that is itself a link (a mounted `models/current`
        // pointing at a version's folder), so walk the folder the link names.
        let directory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return listing }
        let start = ContinuousClock.now
        var entries = 0
        while let relative = enumerator.nextObject() as? String {
            entries += 1
            if entries > maximumEntries {
                throw AIMError.configuration(
                    "\(what) holds more than \(maximumEntries) entries; point it at one model's directory")
            }
            if enumerator.level > maximumDepth {
                throw AIMError.configuration(
                    "\(what) nests deeper than \(maximumDepth) levels (at \(OneLineText.quoted(relative, limit: 120))); point it at one model's directory"
                )
            }
            if entries % 1024 == 0, ContinuousClock.now - start > .seconds(maximumSeconds) {
                throw AIMError.configuration(
                    "\(what) took more than \(Int(maximumSeconds)) s to list (\(entries) entries so far); point it at one model's directory on a local disk"
                )
            }
            var info = stat()
            if stat(directory + "/" + relative, &info) != 0 {
                listing.broken.append(
                    (
                        relative,
                        errno == ELOOP
                            ? "a symbolic link loop"
                            : errno == ENOENT ? "a dangling symbolic link" : String(cString: strerror(errno))
                    ))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: listing.files.append((relative, Int64(info.st_size)))
            case S_IFDIR: break
            case S_IFIFO: listing.broken.append((relative, "a FIFO, not a regular file"))
            case S_IFSOCK: listing.broken.append((relative, "a socket, not a regular file"))
            default: listing.broken.append((relative, "a device, not a regular file"))
            }
        }
        listing.files.sort { $0.path < $1.path }
        listing.broken.sort { $0.path < $1.path }
        return listing
    }
}
