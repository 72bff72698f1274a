import AIMConfiguration
import AIMCore
import AIMProfiles
import AIMReports
import Foundation

/// `validate-profiles`: checks profile files for their authors; exit 4 if any is invalid.
public struct ValidateProfilesCommand: RuntimeCommand {
    /// Profile files or directories; none means the whole profile root.
    public var paths: [String]
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(paths: [String] = [], overrides: [ConfigVariable: String] = [:]) {
        self.paths = paths
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let loader = ProfileCatalogLoader(logger: stages.logs.logger("aim_runtime.profiles"))
        // Files below the profile root are classified by their path inside it; files
        // named on the command line by their absolute path.
        var files: [(path: String, relativePath: String?)] = []
        // A directory too big to be a profile directory is itself reported invalid.
        var tooLarge: [Result<Profile, InvalidProfile>] = []
        func search(_ directory: String) -> [String] {
            let search = ProfileFileFinder.search(under: directory)
            if search.stoppedEarly {
                let location = ProfileLocation(path: directory, relativePath: directory, searchPriority: 0)
                let message = OneLineText.escape("\(directory): \(ProfileFileFinder.stoppedEarlyReason)")
                tooLarge.append(.failure(InvalidProfile(id: directory, location: location, message: message)))
            }
            return search.files
        }
        if paths.isEmpty {
            let root = stages.configuration.profileBasePath
            files = search(root).map { (ProfileSearchPath.join(root, $0), $0) }
        }
        for path in paths {
            if Directory.exists(path) {
                files += search(path).map { (ProfileSearchPath.join(path, $0), nil) }
            } else if Self.entryExists(path) {
                // A FIFO, a dangling symlink or a loop is reported by the loader as invalid, never opened blindly.
                files.append((path, nil))
            } else {
                throw AIMError.configuration(
                    "validate-profiles: '\(OneLineText.escape(path))' does not exist; pass profile files or directories"
                )
            }
        }
        let results = tooLarge + files.map { loader.validateFile(at: $0.path, relativePath: $0.relativePath) }
        context.standardOutput.write(ValidationReport.render(results))
        if let failure = ValidationReport.failure(results) { throw failure }
        return ExitStatus.success.rawValue
    }

    /// Whether anything is at the path, without following a final symlink.
    private static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
