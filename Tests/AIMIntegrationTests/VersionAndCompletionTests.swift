import AIMTestSupport
import Foundation
import Testing

@Suite struct VersionAndCompletionTests {
    @Test func versionNamesTheReleaseAndTheGitCommit() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        let line = result.stdout.trimmingCharacters(in: .newlines)
        #expect(
            line.range(
                of: #"^aim-runtime \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(\+dirty)?|unknown)\)$"#,
                options: .regularExpression) != nil, "\(line)")
        let head = try CLI.runProgram("/usr/bin/git", ["-C", CLI.packageRoot, "rev-parse", "--short=12", "HEAD"])
        if head.status == 0 {
            #expect(
                line.contains("(commit \(head.stdout.trimmingCharacters(in: .newlines))"), "built from this checkout")
        }
    }

    /// The image installs these; each must know the subcommands.
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptKnowsTheCommands(shell: String) throws {
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["serve", "select", "list-profiles", "download-to-cache", "health"] {
            #expect(result.stdout.contains(command), "\(shell) completion knows \(command)")
        }
    }

    @Test(.enabled(if: TestTools.onPath("bash") != nil, "bash is not installed"))
    func bashCompletionParses() throws { try checkSyntax(shell: "bash") }

    @Test(.enabled(if: TestTools.onPath("zsh") != nil, "zsh is not installed; .ci/run installs it"))
    func zshCompletionParses() throws { try checkSyntax(shell: "zsh") }

    @Test(.enabled(if: TestTools.onPath("fish") != nil, "fish is not installed; .ci/run installs it"))
    func fishCompletionParses() throws { try checkSyntax(shell: "fish") }

    /// `<shell> -n`: parse the script without running it.
    func checkSyntax(shell: String) throws {
        let work = try TemporaryDirectory()
        let script = try work.write(
            "aim-runtime.\(shell)", try CLI.run(["--generate-completion-script", shell]).stdout)
        let check = try CLI.runProgram(try #require(TestTools.onPath(shell)), ["-n", script])
        #expect(check.status == 0, "\(shell) -n: \(check.stderr)")
    }
}
