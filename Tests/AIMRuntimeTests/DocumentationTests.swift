import AIMConfiguration
import AIMCore
import Foundation
import Testing

/// The docs are checked against the code so that they cannot drift.
@Suite struct DocumentationTests {
    func document(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.packageRoot + "/docs/" + name, encoding: .utf8)
    }

    @Test func configurationDocListsEveryVariableWithItsFlagAndDefault() throws {
        let rows = try document("configuration.md").split(separator: "\n").filter { $0.hasPrefix("| `AIM_") }
        #expect(rows.count == ConfigVariable.allCases.count)
        for variable in ConfigVariable.allCases {
            let row = rows.first { $0.hasPrefix("| `\(variable.name)` |") }
            #expect(row != nil, "docs/configuration.md has no row for \(variable.name)")
            let cells = row?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            #expect(cells.count >= 3)
            guard cells.count >= 3 else { continue }
            #expect(cells[1] == (variable.flag.map { "`\($0)`" } ?? "—"), "flag of \(variable.name)")
            #expect(cells[2] == variable.defaultDescription, "default of \(variable.name)")
        }
    }

    @Test func exitCodeDocListsEveryStatus() throws {
        let text = try document("exit-codes.md")
        for status in [ExitStatus.success, .failure, .configuration, .noCompatibleProfile, .invalidProfile, .noGPU, .modelFetchFailed, .modelNotFound,
                       .modelAuthRequired, .modelTokenRejected, .modelAccessDenied, .diskFull,
                       .startupTimeout, .engineUnhealthy, .restartBudgetSpent, .engineExitedEarly] {
            #expect(text.contains("| \(status.rawValue) | `\(status.name)` |"), "exit code \(status.rawValue)")
        }
    }

    @Test func readmeOpensWithTheTwoCommands() throws {
        let readme = try String(contentsOfFile: CLI.packageRoot + "/README.md", encoding: .utf8)
        let ci = try String(contentsOfFile: CLI.packageRoot + "/.ci/run", encoding: .utf8)
        let testCommand = "swift test"
        #expect(readme.contains("```sh\n\(testCommand)\n```"))
        #expect(ci.split(separator: "\n").contains { $0 == testCommand })
        #expect(readme.contains("select --dry-run"))
    }
}
