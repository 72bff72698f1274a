import AIMCore
import AIMProfiles

/// `validate-profiles`: one line a file, `ok` or the reason it is invalid.
public enum ValidationReport {
    public static func render(_ results: [Result<Profile, InvalidProfile>]) -> String {
        var lines: [String] = []
        for result in results {
            switch result {
            // File names may hold newlines; each result stays on its own line.
            case .success(let profile):
                lines.append(OneLineText.escape("ok       \(profile.location.relativePath) (id \(profile.id))"))
            case .failure(let problem): lines.append("invalid  \(problem.message)")
            }
        }
        let invalidCount = results.filter { if case .failure = $0 { return true } else { return false } }.count
        lines.append("\(results.count - invalidCount) valid, \(invalidCount) invalid")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The one error line for stderr when any file is invalid: the count and the first problem,
    /// so that a log or a CI job shows what to fix without the report on stdout.
    public static func failure(_ results: [Result<Profile, InvalidProfile>]) -> AIMError? {
        let problems = results.compactMap { if case .failure(let problem) = $0 { return problem } else { return nil } }
        guard let first = problems.first else { return nil }
        return AIMError(
            .invalidProfile,
            "\(problems.count) of \(results.count) profile files are invalid; the first: \(first.message)")
    }
}
