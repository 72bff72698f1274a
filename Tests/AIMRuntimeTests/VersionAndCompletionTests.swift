import Foundation
import Testing

@Suite struct VersionAndCompletionTests {
    @Test func versionNamesTheReleaseAndTheGitCommit() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        let line = result.stdout.trimmingCharacters(in: .newlines)
        #expect(line.range(of: #"^aim-runtime \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(\+dirty)?|unknown)\)$"#, options: .regularExpression) != nil, "\(line)")
        let head = try CLI.runProgram("/usr/bin/git", ["-C", CLI.packageRoot, "rev-parse", "--short=12", "HEAD"])
        if head.status == 0 {
            #expect(line.contains("(commit \(head.stdout.trimmingCharacters(in: .newlines))"), "built from this checkout")
        }
    }

    /// The image installs these; each must be valid for its shell and know the subcommands.
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptIsGeneratedAndParses(shell: String) throws {
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["serve", "select", "list-profiles", "download-to-cache", "health"] {
            #expect(result.stdout.contains(command), "\(shell) completion knows \(command)")
        }
        guard let interpreter = TestTools.onPath(shell) else { return }
        let work = try TemporaryDirectory()
        let script = try work.write("aim-runtime.\(shell)", result.stdout)
        let check = try CLI.runProgram(interpreter, ["-n", script])
        #expect(check.status == 0, "\(shell) -n: \(check.stderr)")
    }
}
