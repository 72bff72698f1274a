import AIMProcess
import Foundation
import Testing

/// Short-lived programs end within their limits, whether they answer, hang, flood or are missing.
@Suite struct ToolProcessTests {
    func run(_ script: String, timeout: Duration = .seconds(10), stdoutLimit: Int = 1 << 20, stderrLimit: Int = 1 << 20,
             environment: [String: String]? = nil) async throws -> ToolProcessOutcome {
        try await ToolProcess.run("/bin/sh", arguments: ["-c", script], environment: environment, timeout: timeout,
                                  stdoutLimit: stdoutLimit, stderrLimit: stderrLimit)
    }

    @Test func aProgramThatAnswersIsRead() async throws {
        let outcome = try await run("echo hello; echo trouble >&2; exit 3")
        #expect(outcome == ToolProcessOutcome(
            status: 3, stdout: Array("hello\n".utf8), stderr: Array("trouble\n".utf8), timedOut: false, stdoutCut: false, stderrCut: false))
    }

    @Test func aMissingProgramThrowsInsteadOfStarting() async {
        let error = await #expect(throws: ToolProcessFailure.self) {
            try await ToolProcess.run("/nonexistent/python", arguments: [], timeout: .seconds(1), stdoutLimit: 10, stderrLimit: 10)
        }
        #expect(error?.reason.hasPrefix("/nonexistent/python could not be run: ") == true, "\(error?.reason ?? "")")
    }

    @Test func theEnvironmentIsExactlyTheOneGivenOrElseInherited() async throws {
        let given = try await ToolProcess.run("/usr/bin/env", arguments: [], environment: ["ONLY": "this"], timeout: .seconds(10),
                                              stdoutLimit: 1 << 16, stderrLimit: 1 << 16)
        #expect(given.stdoutText == "ONLY=this\n")
        let inherited = try await ToolProcess.run("/usr/bin/env", arguments: [], timeout: .seconds(10), stdoutLimit: 1 << 20, stderrLimit: 1 << 16)
        #expect(inherited.stdoutText.contains("PATH="))
    }

    @Test func aProgramThatHangsIsKilledWithItsGroupAtItsTimeLimit() async throws {
        let work = try TemporaryDirectory()
        let started = Date()
        // The shell ignores SIGTERM and its child holds stdout open: only a group SIGKILL ends both.
        let outcome = try await run("trap '' TERM; echo $$ > \(work.path)/shell; sleep 300 & echo $! > \(work.path)/child; wait",
                                    timeout: .milliseconds(500), environment: ["PATH": "/usr/bin:/bin"])
        let seconds = Date().timeIntervalSince(started)
        #expect(outcome.timedOut && outcome.status == 137)
        #expect(seconds < 3, "took \(seconds) s")
        let child = try #require(Int32(String(contentsOfFile: work.path + "/child", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        try await Task.sleep(for: .milliseconds(100))
        // The orphaned sleep went to init (or the test runner's subreaper), which reaps it.
        #expect(kill(child, 0) != 0 || PIDState.of(child) == "Z", "the program's child was killed")
    }

    @Test func floodedOutputIsCutAtTheLimitAndTheProgramKilled() async throws {
        let started = Date()
        let flood = try await ToolProcess.run("/usr/bin/yes", arguments: [], timeout: .seconds(10), stdoutLimit: 1000, stderrLimit: 1000)
        #expect(flood.stdoutCut && flood.stdout.count == 1000 && flood.status == 137 && !flood.timedOut)
        let errors = try await run("yes trouble >&2", stderrLimit: 1000)
        #expect(errors.stderrCut && errors.stderr.count == 1000 && !errors.stdoutCut)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A descendant in its own session escapes the group kill and keeps the pipes open; the
    /// output still ends when the program exits.
    @Test func aDescendantHoldingThePipesDoesNotHoldTheAnswer() async throws {
        let work = try TemporaryDirectory()
        let started = Date()
        let outcome = try await run("setsid sh -c 'echo $$ > \(work.path)/escaped; exec sleep 30' & echo done", timeout: .seconds(20))
        #expect(outcome.status == 0 && outcome.stdoutText == "done\n" && !outcome.timedOut)
        #expect(Date().timeIntervalSince(started) < 5, "waited for the descendant")
        if let escaped = Int32((try? String(contentsOfFile: work.path + "/escaped", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(escaped, SIGKILL)
        }
    }

    @Test func cancellingTheCallerEndsTheProgram() async throws {
        let started = Date()
        let task = Task { try await run("exec sleep 300", timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = try await task.value
        #expect(outcome.status == 137, "\(outcome)")
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
