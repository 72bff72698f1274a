import AIMFuzzTargets
import AIMTestSupport
import Foundation
import Testing

/// Every saved fuzz input (the seeds, and each reproducer a fuzz run found) goes through the same
/// `FuzzTarget.run` that libFuzzer calls, so a crash found once stays fixed. See docs/fuzzing.md.
@Suite struct FuzzReplayTests {
    static let root = CLI.packageRoot + "/Tests/Fixtures/fuzz"

    static func inputs(_ target: FuzzTarget) -> [String] {
        let directory = root + "/" + target.rawValue
        let names = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return names.map { directory + "/" + $0 }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySavedInputReplaysCleanly(target: FuzzTarget) throws {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty, "Fixtures/fuzz/\(target.rawValue) has no seeds")
        for path in inputs {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            FuzzTarget.run(target, bytes)
        }
    }
}

@Suite struct FuzzScriptTests {
    /// CI fuzzes what scripts/fuzz.sh lists: every target must be there.
    @Test func theScriptListsEveryTarget() throws {
        let script = try String(contentsOfFile: CLI.packageRoot + "/scripts/fuzz.sh", encoding: .utf8)
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("targets=(") })
        let listed = Set(line.dropFirst("targets=(".count).dropLast().split(separator: " ").map(String.init))
        #expect(Set(FuzzTarget.allCases.map(\.rawValue)) == listed)
    }
}
