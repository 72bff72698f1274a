import AIMCore
import OrderedCollections

/// Checks engine flag values against the engine's flag catalogue.
public enum EngineArgsValidator {
    public struct Mismatch: Equatable, Sendable {
        public let flag: String
        public let expected: String
        public let actual: StructuredValue

        /// e.g. `max-model-len must be an integer, got a string ("4096")`.
        public var explanation: String {
            "\(flag) must be \(expected), got \(actual.kindDescription)\(shownValue)"
        }

        /// The offending value for the message, unless the flag holds a secret.
        public var shownValue: String {
            SecretRedaction.isSecretName(flag) ? "" : " (\(JSONWriter.write(actual)))"
        }
    }

    public static func rule(for flag: String, engine: EngineKind) -> FlagRule? {
        switch engine {
        case .vllm: return VLLMFlagCatalog.rule(for: flag)
        case .sglang: return SGLangFlagCatalog.rule(for: flag)
        }
    }

    /// The first flag whose value has the wrong type, in file order.
    public static func firstMismatch(
        in arguments: OrderedDictionary<String, StructuredValue>, engine: EngineKind
    ) -> Mismatch? {
        for (flag, value) in arguments {
            if let expected = rule(for: flag, engine: engine)?.mismatch(value) {
                return Mismatch(flag: flag, expected: expected, actual: value)
            }
        }
        return nil
    }
}
