import Foundation

/// Puts executables in place for tests without "Text file busy". A file this process opens for writing can be
/// inherited by a child that another test spawns at that moment, and while any process holds it open for writing,
/// running it fails with ETXTBSY. So the executable is written by a child process (`install`), never by this one.
public enum ExecutableFiles {
    /// Copies `source` to `destination` with mode 755, creating the directories on the way.
    public static func install(_ source: String, at destination: String) throws {
        let outcome = try CLI.runProgram("/usr/bin/install", ["-D", "-m", "755", source, destination])
        guard outcome.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination, "stderr": outcome.stderr])
        }
    }
}

extension TemporaryDirectory {
    /// Writes `text` as an executable at `relativePath` (see `ExecutableFiles`) and returns its full path.
    @discardableResult
    public func writeExecutable(_ relativePath: String, _ text: String) throws -> String {
        let staging = try write(".staging/" + UUID().uuidString, text)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let full = path + "/" + relativePath
        try ExecutableFiles.install(staging, at: full)
        return full
    }
}
