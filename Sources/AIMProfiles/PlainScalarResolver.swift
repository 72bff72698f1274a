import AIMCore

/// Resolves an unquoted YAML scalar with YAML 1.1 rules, as PyYAML's
/// `safe_load` does: `yes`/`off` are booleans, `~` is null, `0.9` a float,
/// `1e3` (no dot) a string.
///
/// Written by hand rather than with Yams' regular-expression resolver because
/// that one follows slightly different rules and is slow on large catalogues.
enum PlainScalarResolver {
    static func resolve(_ text: String) -> StructuredValue {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
            return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .double(-.infinity)
        case ".nan", ".NaN", ".NAN":
            return .double(.nan)
        default:
            break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        if let integer = integer(text) { return .int(integer) }
        if let double = float(text) { return .double(double) }
        return .string(text)
    }

    /// nil for text that is not a YAML 1.1 integer, and for one beyond Int's range (which stays text).
    private static func integer(_ text: String) -> Int? {
        guard let (sign, digits, radix) = integerParts(text) else { return nil }
        // Sign and digits are parsed together, so -9223372036854775808 fits and nothing is negated after.
        return Int(sign + digits, radix: radix)
    }

    /// True for a YAML integer too large for Int, e.g. `99999999999999999999`, which is kept as text.
    static func isOverlongInteger(_ text: String) -> Bool {
        integerParts(text) != nil && integer(text) == nil
    }

    /// The sign, the digits without `_`, and the radix of `0b…`, `0x…`, `0…` (octal) or decimal text.
    private static func integerParts(_ text: String) -> (sign: String, digits: String, radix: Int)? {
        var body = Substring(text)
        var sign = ""
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        let radix: Int
        if body.hasPrefix("0b") {
            radix = 2
            body = body.dropFirst(2)
        } else if body.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if body.hasPrefix("0"), body.count > 1 {
            radix = 8
            body = body.dropFirst()
        } else {
            radix = 10
            guard body.first != "_" else { return nil }
        }
        let digits = String(body.filter { $0 != "_" })
        guard !digits.isEmpty,
            digits.allSatisfy({ $0.isASCII && $0.isHexDigit && Int(String($0), radix: radix) != nil })
        else {
            return nil
        }
        return (sign, digits, radix)
    }

    /// YAML 1.1 floats need a dot, and an exponent needs a sign: `1.0e+3`.
    private static func float(_ text: String) -> Double? {
        var body = Substring(text)
        var signed = false
        if let sign = body.first, sign == "-" || sign == "+" {
            body = body.dropFirst()
            signed = true
        }
        guard let dot = body.firstIndex(of: ".") else { return nil }
        let whole = body[..<dot]
        var fraction = body[body.index(after: dot)...]
        var exponent: Substring = ""
        if let marker = fraction.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = fraction[fraction.index(after: marker)...]
            fraction = fraction[..<marker]
            guard let sign = exponent.first, sign == "-" || sign == "+",
                exponent.count > 1, exponent.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
        }
        let digitsOrUnderscore: (Character) -> Bool = { $0.isASCII && ($0.isNumber || $0 == "_") }
        guard whole.allSatisfy(digitsOrUnderscore), fraction.allSatisfy(digitsOrUnderscore) else { return nil }
        // `.5` needs a digit after the dot and no sign; `5.` is a float in YAML 1.1.
        if whole.isEmpty && (signed || fraction.isEmpty || fraction.first == "_") { return nil }
        if !whole.isEmpty && whole.first == "_" { return nil }
        return Double(text.filter { $0 != "_" })
    }
}
