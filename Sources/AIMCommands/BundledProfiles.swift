import Foundation

/// Finds the `profiles/` that ship with this build.
///
/// An installed binary looks in `<prefix>/share/aim-runtime/profiles`; a binary
/// run from its build tree uses the package's own `profiles/`.
enum BundledProfiles {
    static func root() -> String {
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let installed = executable.deletingLastPathComponent()
                .appendingPathComponent("../share/aim-runtime/profiles").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: installed) { return installed }
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("profiles").path
    }
}
