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
            // A bad key first; then a known flag's own type, which says more than the generic text rule.
            let textual = textProblem(flag: flag, value: value)
            if let textual, textual.isNameProblem { return textual }
            if let expected = rule(for: flag, engine: engine)?.mismatch(value) {
                let shown = SecretRedaction.isSecretName(flag) ? "" : " (\(JSONWriter.write(value)))"
                return Problem(
                    flag: flag, expected: expected, found: value.kindDescription + shown, isNameProblem: false)
            }
            if let textual { return textual }
        }
        return nil
    }

    /// The engine-independent rule (EngineArgumentText), as a validation problem.
    public static func textProblem(flag: String, value: StructuredValue) -> Problem? {
        EngineArgumentText.violation(key: flag, value: value).map {
            Problem(flag: flag, expected: $0.expected, found: $0.found, isNameProblem: $0.isKey)
        }
    }
}
