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
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        if let integer = integer(text) { return .int(integer) }
        if let double = float(text) { return .double(double) }
        return .string(text)
    }

    private static func integer(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let magnitude: Int?
        if body.hasPrefix("0b") {
            magnitude = Int(body.dropFirst(2).filter { $0 != "_" }, radix: 2)
        } else if body.hasPrefix("0x") {
            magnitude = Int(body.dropFirst(2).filter { $0 != "_" }, radix: 16)
        } else if body.hasPrefix("0"), body.count > 1 {
            magnitude = Int(body.dropFirst().filter { $0 != "_" }, radix: 8)
        } else {
            guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }), body.first != "_" else { return nil }
            magnitude = Int(body.filter { $0 != "_" })
        }
        guard let value = magnitude else { return nil }
        return negative ? -value : value
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
