import OrderedCollections

/// The rule every engine argument obeys, whatever the engine: from a profile or from AIM_ENGINE_ARGS.
///
/// A key becomes `--key` in argv: an empty one would be a bare `--`, after which the forced
/// `--port` is only a positional argument, and a key such as `x --y` would smuggle in a second
/// flag. Text values go into argv verbatim, where a control character has no business.
public enum EngineArgumentText {
    public struct Violation: Equatable, Sendable {
        /// What the key or value must be.
        public let expected: String
        /// What was found.
        public let found: String
        /// Whether the key itself, rather than its value, is wrong.
        public let isKey: Bool
    }

    public static func violation(key: String, value: StructuredValue) -> Violation? {
        if !isFlagName(key) {
            let found =
                key.isEmpty
                ? "an empty key (a bare -- would turn the flags after it into positional arguments)"
                : "'\(OneLineText.escape(key))'"
            return Violation(
                expected:
                    "a flag name without the leading dashes: letters, digits, '-', '_' or '.', starting with a letter or digit",
                found: found, isKey: true)
        }
        if containsNonFinite(value) {
            return Violation(
                expected: "a finite number", found: "a number too large to represent (it reads as infinity)",
                isKey: false)
        }
        for text in argvTexts(value) {
            if let scalar = text.unicodeScalars.first(where: OneLineText.isControl) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return Violation(
                    expected: "text without control characters", found: "text holding the control character \(code)",
                    isKey: false)
            }
        }
        return nil
    }

    /// `[A-Za-z0-9][A-Za-z0-9_.-]*`: what argparse-style engines accept after `--`.
    public static func isFlagName(_ key: String) -> Bool {
        guard let first = key.utf8.first, isAlphanumeric(first) else { return false }
        return key.utf8.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// JSON allows 1e400, which no engine flag means: Python would pass it on as `inf`.
    private static func containsNonFinite(_ value: StructuredValue) -> Bool {
        switch value {
        case .double(let number): return !number.isFinite
        case .list(let items): return items.contains(where: containsNonFinite)
        case .mapping(let members): return members.values.contains(where: containsNonFinite)
        default: return false
        }
    }

    /// Strings that go into argv as they are; a mapping is written as escaped JSON.
    private static func argvTexts(_ value: StructuredValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .list(let items): return items.compactMap(\.stringValue)
        default: return []
        }
    }
}
