import AIMProcess
import AIMTestSupport
import Foundation
import Testing

/// Short-lived programs end within their limits, whether they answer, hang, flood or are missing.
///
/// Under the full suite the sync tests hold the concurrency pool's threads for minutes (seen: 100 s), and
/// a run's time limit keeps counting while its reads wait for a thread. So a test that is not about the
/// time limit gives 600 s, and one that is checks what happened (timed out, the processes dead), bounding
/// only by what a broken limit would cost (a 600 s sleep).
@Suite struct ToolProcessTests {
    func run(
        _ script: String, timeout: Duration = .seconds(600), stdoutLimit: Int = 1 << 20, stderrLimit: Int = 1 << 20,
        environment: [String: String]? = nil
    ) async throws -> ToolProcessOutcome {
        try await ToolProcess.run(
            "/bin/sh", arguments: ["-c", script], environment: environment, timeout: timeout,
            stdoutLimit: stdoutLimit, stderrLimit: stderrLimit)
    }

    @Test func aProgramThatAnswersIsRead() async throws {
        let outcome = try await run("echo hello; echo trouble >&2; exit 3")
        #expect(
            outcome
                == ToolProcessOutcome(
                    status: 3, stdout: Array("hello\n".utf8), stderr: Array("trouble\n".utf8), timedOut: false,
                    stdoutCut: false, stderrCut: false))
    }

    @Test func aMissingProgramThrowsInsteadOfStarting() async {
        let error = await #expect(throws: ToolProcessFailure.self) {
            try await ToolProcess.run(
                "/nonexistent/python", arguments: [], timeout: .seconds(600), stdoutLimit: 10, stderrLimit: 10)
        }
        #expect(error?.reason.hasPrefix("/nonexistent/python could not be run: ") == true, "\(error?.reason ?? "")")
    }

    @Test func theEnvironmentIsExactlyTheOneGivenOrElseInherited() async throws {
        let given = try await ToolProcess.run(
            "/usr/bin/env", arguments: [], environment: ["ONLY": "this"], timeout: .seconds(600),
            stdoutLimit: 1 << 16, stderrLimit: 1 << 16)
        #expect(given.stdoutText == "ONLY=this\n")
        let inherited = try await ToolProcess.run(
            "/usr/bin/env", arguments: [], timeout: .seconds(600), stdoutLimit: 1 << 20, stderrLimit: 1 << 16)
        #expect(inherited.stdoutText.contains("PATH="))
    }

    @Test func aProgramThatHangsIsKilledWithItsGroupAtItsTimeLimit() async throws {
        let work = try TemporaryDirectory()
        let started = Date()
        // The shell ignores SIGTERM and its child holds stdout open: only a group SIGKILL ends both.
        let outcome = try await run(
            "trap '' TERM; echo $$ > \(work.path)/shell; sleep 600 & echo $! > \(work.path)/child; wait",
            timeout: .milliseconds(500), environment: ["PATH": "/usr/bin:/bin"])
        let seconds = Date().timeIntervalSince(started)
        #expect(outcome.timedOut)
        // 137 once reaped; nil if it was given up on first, which a busy pool can delay past the grace period.
        #expect(outcome.status == 137 || outcome.status == nil, "\(outcome)")
        #expect(seconds < 500, "took \(seconds) s")
        for name in ["shell", "child"] {
            let pid = try #require(
                Int32(
                    String(contentsOfFile: work.path + "/" + name, encoding: .utf8).trimmingCharacters(
                        in: .whitespacesAndNewlines)))
            // The orphaned sleep goes to init (or the test runner's subreaper), which reaps it.
            #expect(try await Self.dies(pid), "the program's \(name) was killed")
        }
    }

    @Test func aProgramThatClosesItsOutputAndRunsOnIsKilledAtItsTimeLimit() async throws {
        let work = try TemporaryDirectory()
        let outcome = try await run(
            "echo $$ > \(work.path)/pid; echo bye; exec >&- 2>&-; exec sleep 600", timeout: .milliseconds(500))
        #expect(outcome.timedOut)
        if outcome.status != nil {  // nil: given up on while the pool was busy, with nothing kept
            #expect(outcome.status == 137 && outcome.stdoutText == "bye\n", "\(outcome)")
        }
        let pid = try #require(
            Int32(
                String(contentsOfFile: work.path + "/pid", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        #expect(try await Self.dies(pid))
    }

    /// Whether `pid` is gone or a zombie within 10 s.
    static func dies(_ pid: Int32) async throws -> Bool {
        for _ in 0..<100 {
            if kill(pid, 0) != 0 || PIDState.of(pid) == "Z" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func floodedOutputIsCutAtTheLimitAndTheProgramKilled() async throws {
        let started = Date()
        let flood = try await ToolProcess.run(
            "/usr/bin/yes", arguments: [], timeout: .seconds(600), stdoutLimit: 1000, stderrLimit: 1000)
        #expect(flood.stdoutCut && flood.stdout.count == 1000 && flood.status == 137 && !flood.timedOut)
        let errors = try await run("yes trouble >&2", stderrLimit: 1000)
        #expect(errors.stderrCut && errors.stderr.count == 1000 && !errors.stdoutCut && !errors.timedOut)
        #expect(Date().timeIntervalSince(started) < 500)
    }

    /// A descendant in its own session escapes the group kill and keeps the pipes open; the
    /// output still ends when the program exits.
    @Test func aDescendantHoldingThePipesDoesNotHoldTheAnswer() async throws {
        let work = try TemporaryDirectory()
        let escapedFile = work.path + "/escaped"
        // The program exits once its descendant has started (and written its pid).
        let outcome = try await run(
            "setsid sh -c 'echo $$ > \(escapedFile).tmp; mv \(escapedFile).tmp \(escapedFile); exec sleep 600' & "
                + "while [ ! -e \(escapedFile) ]; do sleep 0.05; done; echo done")
        #expect(outcome.status == 0 && outcome.stdoutText == "done\n" && !outcome.timedOut)
        let escaped = try #require(
            Int32(String(contentsOfFile: escapedFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Still running when the answer came: the answer did not wait for it.
        #expect(kill(escaped, 0) == 0 && PIDState.of(escaped) != "Z", "the answer waited for the descendant")
        kill(escaped, SIGKILL)
    }

    @Test func cancellingTheCallerEndsTheProgram() async throws {
        let work = try TemporaryDirectory()
        let started = Date()
        let task = Task {
            try await run("echo $$ > \(work.path)/pid.tmp; mv \(work.path)/pid.tmp \(work.path)/pid; exec sleep 600")
        }
        var pid: Int32?
        for _ in 0..<600 where pid == nil {
            try await Task.sleep(for: .milliseconds(100))
            pid = Int32(
                (try? String(contentsOfFile: work.path + "/pid", encoding: .utf8))?.trimmingCharacters(
                    in: .whitespacesAndNewlines) ?? "")
        }
        task.cancel()
        let outcome = try await task.value
        #expect(outcome.status == 137 && !outcome.timedOut, "\(outcome)")
        #expect(Date().timeIntervalSince(started) < 500)
        #expect(try await Self.dies(try #require(pid)))
    }
}
