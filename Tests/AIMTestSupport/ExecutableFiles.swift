import Foundation

/// Puts executables in place for tests without "Text file busy". A file this process opens for writing can be
/// inherited by a child that another test spawns at that moment, and while any process holds it open for writing,
/// running it fails with ETXTBSY. So the executable is written by a child process (`install`), never by this one.
public enum ExecutableFiles {
    struct InstallFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Copies `source` to `destination` with mode 755, creating the directories on the way.
    public static func install(_ source: String, at destination: String) throws {
        let outcome = try CLI.runProgram("/usr/bin/install", ["-D", "-m", "755", source, destination])
        guard outcome.status == 0 else {
            throw InstallFailed(description: "install \(source) \(destination): \(outcome.stderr)")
        }
    }

    /// Writes `text` as an executable at `destination`, through a staging file that is never run.
    public static func write(_ text: String, at destination: String) throws {
        let staging = NSTemporaryDirectory() + "aim-runtime-staging-" + UUID().uuidString
        try text.write(toFile: staging, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try install(staging, at: destination)
    }
}

extension TemporaryDirectory {
    /// Writes `text` as an executable at `relativePath` (see `ExecutableFiles`) and returns its full path.
    @discardableResult
    public func writeExecutable(_ relativePath: String, _ text: String) throws -> String {
        let full = path + "/" + relativePath
        try ExecutableFiles.write(text, at: full)
        return full
    }
}
