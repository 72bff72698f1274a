import AIMCore
import AIMProcess

/// `engine_import`: the engine imports, and which version. The slow check: importing vLLM takes about 7 s
/// on a small CPU, so it has a minute, and only `doctor` runs it (serve's engine start does the same import).
enum EngineImportCheck {
    static let timeout: Duration = .seconds(60)

    static func check(_ world: HostWorld, _ facts: LaunchFacts) async -> HostCheck {
        let module = facts.engine.rawValue
        let fix = "install \(module) for this Python (the AIM image has it), or fix PATH or the virtualenv"
        guard let python = facts.python else {
            return HostCheck(.engineImport, .fail, "no Python interpreter (python or python3) is on PATH", fix: fix)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let result = await world.runProgram(
            python, ["-c", "import \(module); print(\(module).__version__)"], timeout)
        let seconds = (clock.now - started).components.seconds
        let command = "\(python) -c 'import \(module)'"
        switch result {
        case .failure(let failure):
            return HostCheck(.engineImport, .fail, "\(command) cannot be run: \(failure.reason)", fix: fix)
        case .success(let outcome):
            if outcome.timedOut {
                return HostCheck(
                    .engineImport, .fail,
                    "\(command) did not finish within \(timeout.components.seconds) s and was killed",
                    fix: fix)
            }
            guard outcome.status == 0 else {
                let why = lastLine(outcome.stderrText).map { ": \($0)" } ?? ""
                return HostCheck(
                    .engineImport, .fail,
                    "\(command) failed (\(outcome.status.map { "exit \($0)" } ?? "killed"))\(why)", fix: fix)
            }
            let version = lastLine(outcome.stdoutText) ?? "an unknown version"
            return HostCheck(.engineImport, .ok, "\(module) \(version) imports with \(python) in \(seconds) s")
        }
    }

    /// The last non-empty line, one line and short: where Python puts the exception.
    static func lastLine(_ text: String) -> String? {
        text.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }.map {
            OneLineText.escape(String($0.prefix(200)))
        }
    }
}
