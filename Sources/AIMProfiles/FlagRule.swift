import AIMCore

/// The type an engine flag's value must have in a profile or in AIM_ENGINE_ARGS.
public enum FlagRule: Sendable {
    /// A switch such as `no-enable-prefix-caching`: only `null` (bare flag) is allowed.
    case bareOnly
    case boolean(nullable: Bool)
    /// `minimum` catches a negative size or count, which the engine would only reject after minutes of start-up.
    case integer(nullable: Bool, minimum: Int? = nil)
    /// Finite numbers only: `.inf` and `.nan` are never a usable setting.
    case number(nullable: Bool)
    /// A share of GPU memory: a finite number from 0 to 1.
    case fraction(nullable: Bool)
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
        case (.integer(_, let minimum), _):
            return Self.integerMismatch(value, minimum: minimum)
        case (.number, .int):
            return nil
        case (.number, .double(let number)):
            return number.isFinite ? nil : "a finite number"
        case (.fraction, .int(let number)):
            return (0...1).contains(number) ? nil : "a number from 0 to 1"
        case (.fraction, .double(let number)):
            return (0...1).contains(number) ? nil : "a number from 0 to 1"
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

    private static func integerMismatch(_ value: StructuredValue, minimum: Int?) -> String? {
        guard let number = integerValue(value) else {
            // YAML digits beyond Int's range are read as text; say why rather than only "got a string".
            if case .string(let text) = value, PlainScalarResolver.isOverlongInteger(text) {
                return "an integer (this one is beyond \(Int.max))"
            }
            return "an integer"
        }
        if let minimum, number < minimum { return "an integer of at least \(minimum)" }
        return nil
    }

    private var acceptsNull: Bool {
        switch self {
        case .bareOnly, .stringOrStringList: return true
        case .list: return false
        case .boolean(let nullable), .integer(let nullable, _), .number(let nullable), .fraction(let nullable),
            .string(let nullable), .object(let nullable), .choice(_, let nullable), .integerChoice(_, let nullable):
            return nullable
        }
    }

    private var expectation: String {
        switch self {
        case .bareOnly: return "null"
        case .boolean: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .fraction: return "a number from 0 to 1"
        case .string: return "a string"
        case .object: return "a mapping"
        case .list: return "a list"
        case .stringOrStringList: return "a string or a list of strings"
        case .choice(let options, _): return "one of " + options.joined(separator: ", ")
        case .integerChoice(let options, _): return "one of " + options.map(String.init).joined(separator: ", ")
        }
    }

    /// Integral floats count as integers, as JSON Schema says; booleans do not.
    /// Checked before converting: `Int(1e30)` or `Int(Double.nan)` would trap.
    static func integerValue(_ value: StructuredValue) -> Int? {
        switch value {
        case .int(let integer): return integer
        case .double(let double) where double.rounded() == double && abs(double) < 1e18: return Int(exactly: double)
        default: return nil
        }
    }
}
