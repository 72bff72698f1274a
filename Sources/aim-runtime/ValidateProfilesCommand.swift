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

    private func body() throws {
        let context = try CommandContext(settings: settings, requireModel: false)
        let loader = ProfileCatalogLoader()
        var files: [String] = []
        for path in paths.isEmpty ? [context.configuration.profileBasePath] : paths {
            if ConfigurationLoader.isDirectory(path) {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                files += ProfileFileFinder.yamlFiles(under: base).map { base + "/" + $0 }
            } else if FileManager.default.fileExists(atPath: path) {
                files.append(path)
            } else {
                throw AIMError.configuration("validate-profiles: '\(path)' does not exist; pass profile files or directories")
            }
        }
        let results = files.map(loader.validateFile(at:))
        print(ValidationReport.render(results), terminator: "")
        if results.contains(where: { if case .failure = $0 { return true } else { return false } }) {
            throw ExitCode(ExitStatus.invalidProfile.rawValue)
        }
    }
}
