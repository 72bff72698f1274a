import AIMTestSupport
import Foundation
import Testing

/// Hostile profiles through the built binary: a bad file fails alone and fast, and
/// the printed scripts run exactly the planned argv with nothing injected.
@Suite struct HostileProfileCLITests {
    let root: TemporaryDirectory
    var base: [String: String] {
        ["AIM_PROFILE_BASE_PATH": root.path, "AIM_ID": "org/model", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1"]
    }

    init() throws {
        root = try TemporaryDirectory()
        try root.write("org/model/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.yaml())
        try root.write("general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
    }

    func timed(_ arguments: [String], environment: [String: String]) throws -> (outcome: CLI.Outcome, seconds: Double) {
        let start = ContinuousClock.now
        let outcome = try CLI.run(arguments, environment: environment)
        let elapsed = ContinuousClock.now - start
        return (outcome, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test func anAliasBombInCustomIsSkippedWithAWarningAndSelectStillWorks() throws {
        try root.write("custom/bomb.yaml", ProfileFixture.yaml() + HostileYAML.billionLaughs)
        let (outcome, seconds) = try timed(["select", "--dry-run"], environment: base)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(seconds < 5, "select took \(seconds) s")
        #expect(outcome.stdout.contains("# profile: vllm-mi300x-fp16-tp1-latency"))
        let warnings = outcome.stderr.split(separator: "\n").filter { $0.contains("custom/bomb.yaml") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("100000 values") == true)
        let listing = try CLI.run(["list-profiles", "--state", "invalid", "--format", "text"], environment: base)
        #expect(listing.stdout.contains("custom/bomb.yaml"), "\(listing.stdout)")
    }

    @Test func validateProfilesReportsEveryEntryThatIsNotARegularFileAndExitsFour() throws {
        let directory = root.path + "/custom"
        try root.write("custom/good.yaml", ProfileFixture.yaml())
        #expect(mkfifo(directory + "/fifo.yaml", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: directory + "/dir.yaml", withIntermediateDirectories: true)
        #expect(symlink(directory + "/gone", directory + "/dangling.yaml") == 0)
        #expect(symlink("loop.yaml", directory + "/loop.yaml") == 0)
        let (outcome, seconds) = try timed(["validate-profiles", directory], environment: [:])
        #expect(outcome.status == 4)
        #expect(seconds < 5, "validate-profiles took \(seconds) s")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("invalid") && $0.hasSuffix("fifo.yaml: is a FIFO, not a regular file") })
        #expect(
            lines.contains { $0.hasPrefix("invalid") && $0.hasSuffix("dir.yaml: is a directory, not a regular file") })
        #expect(lines.contains { $0.hasPrefix("invalid") && $0.contains("dangling.yaml: is a dangling symlink") })
        #expect(lines.contains { $0.hasPrefix("invalid") && $0.contains("loop.yaml: is a symlink loop") })
        #expect(lines.last == "1 valid, 4 invalid")
        // Named directly, a FIFO is invalid too: never opened, never waited on.
        let fifo = try timed(["validate-profiles", directory + "/fifo.yaml"], environment: [:])
        #expect(fifo.outcome.status == 4)
        #expect(fifo.seconds < 5)
    }

    @Test func aBadEnvironmentNameIsInvalidWithItsLine() throws {
        let file = try root.write(
            "custom/evil.yaml", ProfileFixture.yaml(envVars: "  VLLM_USE_V1: '1'\n  X;touch /tmp/pwned;Y: '1'\n"))
        let outcome = try CLI.run(["validate-profiles", file], environment: [:])
        #expect(outcome.status == 4)
        #expect(
            outcome.stdout.contains(
                "evil.yaml:15: env_vars.X;touch /tmp/pwned;Y: 'X;touch /tmp/pwned;Y' is not a variable name"))
    }

    @Test func aFileNameWithANewlineIsInvalidAndEveryListingStaysOneLineARow() throws {
        try root.write("general/evil\ntouch pwned.yaml", ProfileFixture.general())
        let listing = try CLI.run(["list-profiles", "--format", "text"], environment: base)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(!listing.stdout.contains("\ntouch pwned"), "\(listing.stdout)")
        #expect(
            listing.stdout.contains(
                "general/evil\\ntouch pwned.yaml: the file name holds a control character; rename the file"))
        let validation = try CLI.run(["validate-profiles", root.path + "/general"], environment: [:])
        #expect(validation.status == 4)
        #expect(validation.stdout.split(separator: "\n").count == 3, "\(validation.stdout)")
    }

    @Test(arguments: [#"{"": 1}"#, #"{"--port": 1}"#, #"{"max-model-len": "1\u0000"}"#, #"{"tokenizer": "a\nb"}"#])
    func badEngineArgsKeysOrValuesExitTwoNamingTheVariable(value: String) throws {
        let outcome = try CLI.run(
            ["select", "--dry-run"], environment: base.merging(["AIM_ENGINE_ARGS": value]) { $1 })
        #expect(outcome.status == 2)
        // Log lines (the selected profile) may come first; the error is one line, the last.
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("error:") }.count == 1, "\(outcome.stderr)")
        #expect(lines.last?.hasPrefix("error: AIM_ENGINE_ARGS is not valid:") == true, "\(outcome.stderr)")
    }

    // MARK: Pasting the printed scripts

    /// A sandbox with a fake engine interpreter that records its argv and two variables, then the paste.
    struct Sandbox {
        let directory: TemporaryDirectory
        var bin: String { directory.path + "/bin" }
        var work: String { directory.path + "/work" }

        init() throws {
            directory = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.path + "/work", withIntermediateDirectories: true)
            let recorder = """
                #!/bin/sh
                for argument in "$@"; do printf '%s\\0' "$argument"; done > "$RECORD_DIR/argv"
                printf '%s' "$HOSTILE_A" > "$RECORD_DIR/a"
                printf '%s' "$HOSTILE_B" > "$RECORD_DIR/b"

                """
            for name in ["python", "python3"] {
                try directory.writeExecutable("bin/" + name, recorder)
            }
        }

        /// Checks the script with `sh -n`, runs it, and returns the recorded argv.
        func run(_ script: String) throws -> [String] {
            let file = try directory.write("script.sh", script)
            let syntax = try CLI.runProgram("/bin/sh", ["-n", file], environment: ["PATH": "/usr/bin:/bin"])
            #expect(syntax.status == 0, "sh -n: \(syntax.stderr)")
            let run = try CLI.runProgram(
                "/bin/sh", [file], environment: ["PATH": bin + ":/usr/bin:/bin", "RECORD_DIR": directory.path],
                directory: work)
            #expect(run.status == 0, "\(run.stderr)")
            let recorded = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/argv"))
            return String(decoding: recorded, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
                .dropLast().map(String.init)
        }

        func recorded(_ name: String) throws -> String {
            try String(contentsOfFile: directory.path + "/" + name, encoding: .utf8)
        }

        /// Nothing named pwned anywhere: not in the sandbox, not where the script ran.
        func pwned() -> [String] {
            (FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []).filter {
                $0.contains("pwned") && !$0.hasPrefix("model")
            }
        }
    }

    static let hostileA = "$(touch pwned-a) `touch pwned-b` ; touch pwned-c"
    static let hostileB = "it's \"quoted\" \\ and\nsecond line; touch pwned-d\r\u{1B}[2J"

    /// A general custom profile whose file name, values and model path all try to escape their quotes.
    func writeHostileProfile(model: String) throws -> [String: String] {
        try FileManager.default.removeItem(atPath: root.path + "/org")
        try FileManager.default.removeItem(atPath: root.path + "/general")
        let profile = ProfileFixture.yaml(
            aimID: nil, modelID: nil, type: "general",
            engineArgs: """
                  tokenizer: "a'b\\"c; touch pwned-e"
                  unknown-flag: '$(touch pwned-f)'
                  unknown-list: ["x y", '`touch pwned-g`']
                  compilation-config: {key: "$(touch pwned-h)\\n"}

                """,
            envVars:
                "  HOSTILE_A: '\(Self.hostileA)'\n  HOSTILE_B: \"it's \\\"quoted\\\" \\\\ and\\nsecond line; touch pwned-d\\r\\e[2J\"\n"
        )
        try root.write("custom/general/evil $(touch pwned-name) `touch pwned-tick` #.yaml", profile)
        return [
            "AIM_PROFILE_BASE_PATH": root.path, "AIM_MODEL_ID": model, "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1",
        ]
    }

    @Test func theSelectScriptRunsThePlannedArgvAndNothingElse() throws {
        let sandbox = try Sandbox()
        let model = sandbox.directory.path + "/model $(touch pwned-m) 'q' `touch pwned-n`"
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        let environment = try writeHostileProfile(model: model)
        let text = try CLI.run(["select", "--dry-run", "--format", "text"], environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        let comments = text.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(comments.count == 6, "\(text.stdout)")
        #expect(comments.first?.hasPrefix("# profile: custom/general/evil $(touch pwned-name)") == true)
        let json = try CLI.run(["select", "--dry-run", "--format", "json"], environment: environment)
        let plan = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let planned = try #require(plan["command"] as? [String])
        let argv = try sandbox.run(text.stdout)
        #expect(argv == Array(planned.dropFirst()))
        #expect(argv.contains("a'b\"c; touch pwned-e"))
        #expect(try sandbox.recorded("a") == Self.hostileA)
        #expect(try sandbox.recorded("b") == Self.hostileB)
        #expect(sandbox.pwned().isEmpty, "\(sandbox.pwned())")
    }

    @Test func theReferenceDryRunScriptRunsThePlannedArgvAndNothingElse() throws {
        let sandbox = try Sandbox()
        let model = sandbox.directory.path + "/model $(touch pwned-m) 'q'"
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        let environment = try writeHostileProfile(model: model)
        let outcome = try CLI.run(["dry-run"], environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let marker = "GENERATED SCRIPT\n" + String(repeating: "=", count: 80) + "\n\n"
        let script = try #require(outcome.stdout.range(of: marker).map { String(outcome.stdout[$0.upperBound...]) })
        #expect(
            outcome.stdout.contains(
                "Path: " + root.path + "/custom/general/evil $(touch pwned-name) `touch pwned-tick` #.yaml\n"))
        let json = try CLI.run(["select", "--dry-run", "--format", "json"], environment: environment)
        let plan = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let planned = try #require(plan["command"] as? [String])
        let argv = try sandbox.run(script)
        #expect(argv == Array(planned.dropFirst()))
        #expect(try sandbox.recorded("b") == Self.hostileB)
        #expect(sandbox.pwned().isEmpty, "\(sandbox.pwned())")
    }
}
