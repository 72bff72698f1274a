import AIMCore
import Foundation

/// Why the engine failed, read from its last lines against the failure catalogue: the cause, the fix in
/// one line, and the engine line that shows it (secrets hidden).
public struct EngineFailureDiagnosis: Equatable, Sendable {
    public var cause: FailureCause
    public var fix: String
    /// The matching engine line; for `unknown`, the engine's last line (empty if it wrote none).
    public var evidence: String

    public init(cause: FailureCause, fix: String, evidence: String) {
        self.cause = cause
        self.fix = fix
        self.evidence = evidence
    }

    /// The lines looked at: the tails the log forwarder keeps are smaller still.
    static let lineLimit = 200
    /// Every line is cut to this many characters before matching: error messages come first.
    static let lineLength = 4096
    /// The evidence shown: one line, at most this many characters.
    static let evidenceLength = 512

    /// Matches `lines` (oldest first) against the catalogue. The most specific signature (highest rank)
    /// wins wherever it is; between equally specific ones, the later line wins, so the scan runs from the
    /// last line backwards and a line replaces the choice only with a strictly higher rank.
    public static func diagnose(_ lines: [String]) -> EngineFailureDiagnosis {
        let tail = lines.suffix(lineLimit)
        let patterns = compiledPatterns()
        var best: (signature: FailureSignature, line: String, count: Int?)?
        for line in tail.reversed() {
            let bounded = String(line.prefix(lineLength))
            let lower = bounded.lowercased()
            for (index, signature) in FailureCatalogue.signatures.enumerated()
            where signature.rank > (best?.signature.rank ?? 0) {
                if let found = matches(signature, index: index, bounded, lower, patterns) {
                    best = (signature, bounded, found.count)
                }
            }
        }
        guard let best else {
            let last = tail.last { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
            return EngineFailureDiagnosis(
                cause: .unknown, fix: FailureCause.unknown.fix,
                evidence: evidence(from: String(last.prefix(lineLength))))
        }
        return EngineFailureDiagnosis(
            cause: best.signature.cause, fix: fix(for: best.signature, count: best.count),
            evidence: evidence(from: best.line))
    }

    /// The signature's fix with its count filled in; without a usable count, the cause's own fix.
    static func fix(for signature: FailureSignature, count: Int?) -> String {
        guard let template = signature.fix else { return signature.cause.fix }
        guard template.contains("<N>") else { return template }
        guard let count else { return signature.cause.fix }
        return template.replacingOccurrences(of: "<N>", with: String(count))
    }

    /// One line, printable, secrets hidden, at most `evidenceLength` characters.
    static func evidence(from line: String) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = trimmed.count > evidenceLength ? String(trimmed.prefix(evidenceLength)) + "…" : trimmed
        return OneLineText.escape(SecretRedaction.redact(text: shown))
    }

    /// Whether `signature` matches the line; `count` is what its pattern's first group captured, when it is
    /// a token count in range.
    private static func matches(
        _ signature: FailureSignature, index: Int, _ line: String, _ lower: String,
        _ patterns: [Int: NSRegularExpression]
    ) -> Hit? {
        switch signature.match {
        case .text(let text):
            return line.contains(text) ? Hit(count: nil) : nil
        case .anyCase(let text):
            return lower.contains(text) ? Hit(count: nil) : nil
        case .pattern(_, let anchor):
            guard line.contains(anchor), let expression = patterns[index] else { return nil }
            let range = NSRange(line.startIndex..., in: line)
            guard let found = expression.firstMatch(in: line, range: range) else { return nil }
            guard found.numberOfRanges > 1, let group = Range(found.range(at: 1), in: line) else {
                return Hit(count: nil)
            }
            // A context length is at least 1 token; nine digits is far beyond any model's.
            return Hit(count: Int(line[group]).flatMap { (1...999_999_999).contains($0) ? $0 : nil })
        }
    }

    private struct Hit {
        let count: Int?
    }

    /// The catalogue's patterns, compiled once per diagnosis (a diagnosis happens once per failure).
    private static func compiledPatterns() -> [Int: NSRegularExpression] {
        var result: [Int: NSRegularExpression] = [:]
        for (index, signature) in FailureCatalogue.signatures.enumerated() {
            if case .pattern(let pattern, _) = signature.match {
                result[index] = try? NSRegularExpression(pattern: pattern)
            }
        }
        return result
    }
}
