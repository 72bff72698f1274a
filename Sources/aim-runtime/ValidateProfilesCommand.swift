import AIMConfiguration
import AIMCore
import AIMProfiles
import AIMReports
import ArgumentParser
import Foundation

struct ValidateProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-profiles",
        abstract: "Check profile files for profile authors; exit 4 if any is invalid.",
        discussion: "Each PATH is a profile file or a directory searched for *.yaml. With no PATH, the whole "
            + "profile root is checked (AIM_PROFILE_BASE_PATH). A file's place decides its rules: files under "
            + "a general/ directory need no aim_id or model_id.\n\n"
            + EnvironmentHelp.section([.profileBasePath, .logLevel, .logLevelRoot, .logFormat]))

    @Argument(help: "Profile files or directories.") var paths: [String] = []
    @OptionGroup var settings: SettingsOptions

    func run() throws {
        try Failure.reporting(body)
    }

    /// Whether anything is at the path, without following a final symlink.
    private static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private func body() throws {
        let context = try CommandContext(settings: settings, requireModel: false)
        let loader = ProfileCatalogLoader()
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
            let root = context.configuration.profileBasePath
            files = search(root).map { (ProfileSearchPath.join(root, $0), $0) }
        }
        for path in paths {
            if ConfigurationLoader.isDirectory(path) {
                files += search(path).map { (ProfileSearchPath.join(path, $0), nil) }
            } else if Self.entryExists(path) {
                // A FIFO, a dangling symlink or a loop is reported by the loader as invalid, never opened blindly.
                files.append((path, nil))
            } else {
                throw AIMError.configuration("validate-profiles: '\(OneLineText.escape(path))' does not exist; pass profile files or directories")
            }
        }
        let results = tooLarge + files.map { loader.validateFile(at: $0.path, relativePath: $0.relativePath) }
        print(ValidationReport.render(results), terminator: "")
        if let failure = ValidationReport.failure(results) { throw failure }
    }
}
