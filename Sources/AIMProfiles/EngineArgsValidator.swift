import AIMCore
import OrderedCollections

/// Checks engine arguments, from a profile or from AIM_ENGINE_ARGS, with one set of rules:
/// each key is a flag name, text that reaches argv has no control characters, and
/// the flags aim-runtime knows have values of the right type.
public enum EngineArgsValidator {
    public struct Problem: Equatable, Sendable {
        /// The key as written (shown escaped).
        public let flag: String
        /// What the key or value must be, e.g. `an integer`.
        public let expected: String
        /// What was found, e.g. `a string ("4096")`.
        public let found: String
        /// Whether the key itself, rather than its value, is wrong.
        public let isNameProblem: Bool

        /// For a profile, after the field: `expected an integer, got a string ("4096")`.
        public var reason: String { "expected \(expected), got \(found)" }

        /// For AIM_ENGINE_ARGS: `max-model-len must be an integer, got a string ("4096")`.
        public var explanation: String {
            let subject = isNameProblem ? "the key '\(OneLineText.escape(flag))'" : OneLineText.escape(flag)
            return "\(subject) must be \(expected), got \(found)"
        }
    }

    public static func rule(for flag: String, engine: EngineKind) -> FlagRule? {
        switch engine {
        case .vllm: return VLLMFlagCatalog.rule(for: flag)
        case .sglang: return SGLangFlagCatalog.rule(for: flag)
        }
    }

    /// The first argument that breaks a rule, in file order.
    public static func firstProblem(
        in arguments: OrderedDictionary<String, StructuredValue>, engine: EngineKind
    ) -> Problem? {
        for (flag, value) in arguments {
            if let problem = textProblem(flag: flag, value: value) { return problem }
            if let expected = rule(for: flag, engine: engine)?.mismatch(value) {
                let shown = SecretRedaction.isSecretName(flag) ? "" : " (\(JSONWriter.write(value)))"
                return Problem(flag: flag, expected: expected, found: value.kindDescription + shown, isNameProblem: false)
            }
        }
        return nil
    }

    /// The rule for any engine's flags. A key becomes `--key` in argv: an empty one
    /// would be a bare `--`, after which the forced `--port` is only a positional
    /// argument, and a key such as `x --y` would smuggle in a second flag. Text
    /// values go into argv verbatim, where a control character has no business.
    public static func textProblem(flag: String, value: StructuredValue) -> Problem? {
        if !isFlagName(flag) {
            let found = flag.isEmpty ? "an empty key (a bare -- would turn the flags after it into positional arguments)"
                : "'\(OneLineText.escape(flag))'"
            return Problem(
                flag: flag,
                expected: "a flag name without the leading dashes: letters, digits, '-', '_' or '.', starting with a letter or digit",
                found: found, isNameProblem: true)
        }
        for text in argvTexts(value) {
            if let scalar = text.unicodeScalars.first(where: OneLineText.isControl) {
                let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                return Problem(flag: flag, expected: "text without control characters",
                               found: "text holding the control character \(code)", isNameProblem: false)
            }
        }
        return nil
    }

    /// `[A-Za-z0-9][A-Za-z0-9_.-]*`: what argparse-style engines accept after `--`.
    public static func isFlagName(_ key: String) -> Bool {
        guard let first = key.utf8.first, isAlphanumeric(first) else { return false }
        return key.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Strings that FlagRenderer puts into argv as they are; a mapping is written as escaped JSON.
    private static func argvTexts(_ value: StructuredValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .list(let items): return items.compactMap(\.stringValue)
        default: return []
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
