import AIMCore
import AIMProcess
import Foundation

/// Finds out whether the installed vLLM accepts `--shutdown-timeout`, without importing it
/// (an import takes seconds): the interpreter locates the package, and its argument
/// definitions are searched for the flag.
public enum VLLMFeatureProbe {
    public enum Answer: Equatable, Sendable {
        case supported, unsupported
        /// The probe could not tell (it hung or flooded); the reason is for a warning.
        case unknown(String)
    }

    /// How long the interpreter may take to locate vLLM: a healthy one needs well under a second.
    public static let timeout: Double = 20

    /// `.unsupported` also when the interpreter cannot be run or vLLM is not installed: the flag is then left out.
    public static func shutdownTimeout(
        python: String, environment: [String: String], timeout: Double = timeout
    ) async -> Answer {
        let locate =
            "import importlib.util; s = importlib.util.find_spec('vllm'); print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')"
        guard
            let outcome = try? await ToolProcess.run(
                python, arguments: ["-c", locate], environment: environment, timeout: .seconds(timeout),
                stdoutLimit: 16 << 10, stderrLimit: 64 << 10)
        else { return .unsupported }
        if outcome.timedOut {
            return .unknown(
                "\(python) -c 'import importlib.util…' did not finish within \(Int(timeout)) s and was killed")
        }
        if outcome.stdoutCut {
            return .unknown("\(python) -c 'import importlib.util…' printed more than 16 KiB and was killed")
        }
        if outcome.stderrCut {
            return .unknown("\(python) -c 'import importlib.util…' printed more than 64 KiB of errors and was killed")
        }
        let package = outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == 0, !package.isEmpty, !package.contains("\n"),
            let source = BoundedFile.contents(package + "/engine/arg_utils.py", limit: 16 << 20)
        else { return .unsupported }
        return String(decoding: source, as: UTF8.self).contains("\"--shutdown-timeout\"") ? .supported : .unsupported
    }
}
