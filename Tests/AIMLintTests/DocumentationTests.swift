import AIMConfiguration
import AIMCore
import AIMTestSupport
import Foundation
import Testing

/// The docs are checked against the code so that they cannot drift.
@Suite struct DocumentationTests {
    func document(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.packageRoot + "/docs/" + name, encoding: .utf8)
    }

    @Test func configurationDocListsEveryVariableWithItsFlagAndDefault() throws {
        let rows = try document("configuration.md").split(separator: "\n").filter {
            $0.hasPrefix("| `AIM_") || $0.hasPrefix("| `LWS_")
        }
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
        for status in [
            ExitStatus.success, .failure, .configuration, .noCompatibleProfile, .invalidProfile, .noGPU,
            .modelFetchFailed, .modelNotFound,
            .modelAuthRequired, .modelTokenRejected, .modelAccessDenied, .diskFull,
            .startupTimeout, .engineUnhealthy, .restartBudgetSpent, .engineExitedEarly, .preflightFailed,
            .insufficientMemory, .groupIncomplete, .groupMemberLost,
        ] {
            #expect(text.contains("| \(status.rawValue) | `\(status.name)` |"), "exit code \(status.rawValue)")
        }
    }

    /// The README's first two code blocks are the set-up-and-run command and the test command, and CI runs the latter.
    @Test func readmeOpensWithTheTwoCommands() throws {
        let readme = try String(contentsOfFile: CLI.packageRoot + "/README.md", encoding: .utf8)
        let ci = try String(contentsOfFile: CLI.packageRoot + "/.ci/run", encoding: .utf8)
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "\n```").first ?? ""
        }
        #expect(Array(blocks.prefix(2)) == ["scripts/demo-cpu.sh", "scripts/test.sh"])
        #expect(ci.split(separator: "\n").contains { $0 == "scripts/test.sh" })
        let tests = try String(contentsOfFile: CLI.packageRoot + "/scripts/test.sh", encoding: .utf8)
        #expect(
            tests.split(separator: "\n").last == "swift test \"$@\"", "the script ends by running every test target")
        #expect(FileManager.default.isExecutableFile(atPath: CLI.packageRoot + "/scripts/demo-cpu.sh"))
        let demo = try String(contentsOfFile: CLI.packageRoot + "/scripts/demo-cpu.sh", encoding: .utf8)
        #expect(demo.contains("\"$binary\" select --dry-run") && demo.contains("\"$binary\" serve"))
        for link in [
            "docs/deployment.md", "docs/troubleshooting.md", "docs/configuration.md", "docs/selection.md",
            "docs/serve.md",
        ] {
            #expect(readme.contains("(\(link))"), "README links \(link)")
        }
    }

    /// Every Swift source file's text, keyed by its path under Sources/.
    static func sources() throws -> [String: String] {
        let root = CLI.packageRoot + "/Sources"
        let paths =
            FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            ?? []
        return try Dictionary(
            uniqueKeysWithValues: paths.map { ($0, try String(contentsOfFile: root + "/" + $0, encoding: .utf8)) })
    }

    static func matches(_ pattern: String, in text: String) -> Set<String> {
        let expression = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return Set(
            expression.matches(in: text, range: range).compactMap {
                Range($0.range(at: 1), in: text).map { String(text[$0]) }
            })
    }

    /// Variables the code reads: every `environment["NAME"]` lookup, and every variable-shaped string
    /// literal (names kept in tables, such as ConfigVariable and the visible-device list).
    @Test func everyVariableReadInSourcesIsDocumentedAndEveryDocumentedOneIsRead() throws {
        // Literals that look like variables but are not read: words SecretRedaction looks for in names.
        let notVariables: Set<String> = ["API_KEY", "ACCESS_KEY"]
        var read = Set<String>()
        for text in try Self.sources().values {
            read.formUnion(Self.matches(#"environment\[\"([A-Za-z_][A-Za-z0-9_]*)\"\]"#, in: text))
            read.formUnion(Self.matches(#"\"([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\""#, in: text))
        }
        read.subtract(notVariables)
        let documented = Self.matches(#"(?m)^\| `([A-Za-z_][A-Za-z0-9_]*)` \|"#, in: try document("configuration.md"))
        #expect(
            read.subtracting(documented).isEmpty,
            "read but not in docs/configuration.md: \(read.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(read).isEmpty, "documented but never read: \(documented.subtracting(read).sorted())")
        #expect(
            read.isSuperset(of: ["AIM_ID", "HF_TOKEN", "AWS_ENDPOINT_URL_S3", "ROCR_VISIBLE_DEVICES", "PATH", "HOME"]))
    }

    /// Troubleshooting is keyed by the exact messages users see: every quoted message (with `…` where
    /// the message has a value) must be text that the code really prints.
    @Test func troubleshootingIsKeyedByMessagesTheCodePrints() throws {
        let headings = try document("troubleshooting.md").split(separator: "\n").filter { $0.hasPrefix("### `") }
        #expect(headings.count >= 15)
        let code = try Self.sources().values.joined(separator: "\n")
        for heading in headings {
            let message = heading.dropFirst(5).prefix { $0 != "`" }
            let fragments = message.components(separatedBy: "…").map { $0.trimmingCharacters(in: .whitespaces) }.filter
            { $0.count >= 6 }
            #expect(!fragments.isEmpty, "\(heading)")
            for fragment in fragments {
                #expect(
                    code.contains(fragment), "troubleshooting.md quotes a message the code does not print: \(fragment)")
            }
        }
    }
}
