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
}
