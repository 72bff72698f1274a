import AIMTestSupport
import Foundation
import Testing

/// The tree is formatted as `.swift-format` says (`swift format -i -r Sources Tests Package.swift` fixes it).
@Suite struct SourceFormatTests {
    static let swift = TestTools.onPath("swift") ?? "/opt/swift/usr/bin/swift"

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: swift),
            "the Swift toolchain (with swift-format) is not on PATH"))
    func theTreeIsFormatted() throws {
        let outcome = try CLI.runProgram(
            Self.swift,
            [
                "format", "lint", "--strict", "-r", "--configuration", ".swift-format", "Sources", "Tests",
                "Package.swift",
            ],
            environment: ProcessInfo.processInfo.environment, directory: CLI.packageRoot)
        #expect(outcome.status == 0 && outcome.stderr.isEmpty, "\(outcome.stderr.prefix(4000))")
    }
}
