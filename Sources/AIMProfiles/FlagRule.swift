import AIMCore

/// The type an engine flag's value must have in a profile or in AIM_ENGINE_ARGS.
public enum FlagRule: Sendable {
    /// A switch such as `no-enable-prefix-caching`: only `null` (bare flag) is allowed.
    case bareOnly
    case boolean(nullable: Bool)
    case integer(nullable: Bool)
    case number(nullable: Bool)
    case string(nullable: Bool)
    case object(nullable: Bool)
    case list
    case stringOrStringList
    case choice([String], nullable: Bool)
    case integerChoice([Int], nullable: Bool)

    /// nil when the value fits, otherwise what was expected, for the error message.
    public func mismatch(_ value: StructuredValue) -> String? {
        if case .null = value, acceptsNull { return nil }
        switch (self, value) {
        case (.bareOnly, _):
            return "null (a bare flag: write the key with no value)"
        case (.boolean, .bool), (.string, .string), (.object, .mapping), (.list, .list), (.stringOrStringList, .string):
            return nil
        case (.integer, _):
            return Self.integerValue(value) == nil ? "an integer" : nil
        case (.number, .int), (.number, .double):
            return nil
        case (.stringOrStringList, .list(let items)):
            return items.allSatisfy { $0.stringValue != nil } ? nil : "a string or a list of strings"
        case (.choice(let options, _), .string(let text)):
            return options.contains(text) ? nil : "one of " + options.joined(separator: ", ")
        case (.integerChoice(let options, _), _):
            guard let number = Self.integerValue(value), options.contains(number) else {
                return "one of " + options.map(String.init).joined(separator: ", ")
            }
            return nil
        default:
            return expectation
        }
    }

    private var acceptsNull: Bool {
        switch self {
        case .bareOnly, .stringOrStringList: return true
        case .list: return false
        case .boolean(let nullable), .integer(let nullable), .number(let nullable), .string(let nullable),
             .object(let nullable), .choice(_, let nullable), .integerChoice(_, let nullable):
            return nullable
        }
    }

    private var expectation: String {
        switch self {
        case .bareOnly: return "null"
        case .boolean: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .object: return "a mapping"
        case .list: return "a list"
        case .stringOrStringList: return "a string or a list of strings"
        case .choice(let options, _): return "one of " + options.joined(separator: ", ")
        case .integerChoice(let options, _): return "one of " + options.map(String.init).joined(separator: ", ")
        }
    }

    /// Integral floats count as integers, as JSON Schema says; booleans do not.
    static func integerValue(_ value: StructuredValue) -> Int? {
        switch value {
        case .int(let integer): return integer
        case .double(let double) where double.rounded() == double && abs(double) < 1e18: return Int(double)
        default: return nil
        }
    }
}
