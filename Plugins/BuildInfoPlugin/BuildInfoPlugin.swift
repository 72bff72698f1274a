import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` with the git commit the binary is built from, so that
/// `aim-runtime --version` can name it. A prebuild command runs on every build; the
/// file is rewritten only when its text changes, so an unchanged commit costs no recompile.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let script = """
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD 2>/dev/null; then commit="$commit+dirty"; fi
            text="enum BuildInfo { static let commit = \\"$commit\\" }"
            [ "$(cat "$2" 2>/dev/null)" = "$text" ] || printf '%s\\n' "$text" > "$2"
            """
        return [
            .prebuildCommand(
                displayName: "Recording the git commit",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "build-info", context.package.directoryURL.path, output.path],
                outputFilesDirectory: context.pluginWorkDirectoryURL),
        ]
    }
}
