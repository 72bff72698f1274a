/// Renders values the way Python's `str()` and `repr()` do.
///
/// The reference runtime builds engine argv with `str(value)`, so `0.9`,
/// `1e-05`, `2.0` and `True` must come out exactly as Python prints them.
public enum PythonFormatting {
    /// `str(value)` for a scalar, or `str(list)` / `str(dict)` for containers.
    public static func str(_ value: StructuredValue) -> String {
        switch value {
        case .string(let text): return text
        default: return repr(value)
        }
    }

    /// `repr(value)`: what Python shows for an item inside a list or dict.
    public static func repr(_ value: StructuredValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let integer): return String(integer)
        case .double(let double): return floatRepr(double)
        case .string(let text): return stringRepr(text)
        case .list(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.map { stringRepr($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Python's `float.__repr__`: the shortest round-trip digits, in fixed
    /// notation for decimal exponents -4 ..< 16 and scientific otherwise.
    public static func floatRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, exponent) = shortestDigits(value)
        let sign = negative ? "-" : ""
        if exponent >= -4 && exponent < 16 {
            if exponent < 0 {
                return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
            }
            if digits.count <= exponent + 1 {
                return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let mantissa =
            digits.count == 1
            ? digits
            : String(digits.prefix(1)) + "." + digits.dropFirst()
        let exponentText = String(abs(exponent))
        let paddedExponent = exponentText.count < 2 ? "0" + exponentText : exponentText
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
    }

    /// Splits Swift's shortest round-trip description into its significant
    /// digits and the decimal exponent of the first digit.
    private static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
        var text = "\(value.magnitude)"
        var exponent = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: marker)...]) ?? 0
            text = String(text[..<marker])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 {
            digits.removeLast()
        }
        return (value < 0, digits, exponent + pointPosition - 1)
    }

    /// Python's `repr(str)`: single quotes unless the text holds a single
    /// quote and no double quote.
    public static func stringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Character(scalar) == quote {
                    result += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.append(quote)
        return result
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
