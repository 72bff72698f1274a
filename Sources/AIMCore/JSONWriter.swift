/// Writes JSON the way Python's `json.dumps` does, with ASCII escaping and key order kept.
///
/// `.inline` matches `json.dumps(value)` (separators `", "` and `": "`), which
/// the reference uses for mapping-valued engine flags. `.indented` matches
/// `json.dumps(value, indent: 2)`, used for machine-readable command output.
public enum JSONWriter {
    public enum Style: Sendable {
        case inline
        case indented
    }

    public static func write(_ value: StructuredValue, style: Style = .inline) -> String {
        var output = ""
        append(value, style: style, depth: 0, to: &output)
        return output
    }

    private static func append(_ value: StructuredValue, style: Style, depth: Int, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let integer): output += String(integer)
        case .double(let double): output += number(double)
        case .string(let text): output += quoted(text)
        case .list(let items):
            appendContainer(open: "[", close: "]", count: items.count, style: style, depth: depth, to: &output) {
                index, output in
                append(items[index], style: style, depth: depth + 1, to: &output)
            }
        case .mapping(let mapping):
            let entries = Array(mapping)
            appendContainer(open: "{", close: "}", count: entries.count, style: style, depth: depth, to: &output) {
                index, output in
                output += quoted(entries[index].key) + ": "
                append(entries[index].value, style: style, depth: depth + 1, to: &output)
            }
        }
    }

    private static func appendContainer(
        open: String, close: String, count: Int, style: Style, depth: Int, to output: inout String,
        element: (Int, inout String) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        for index in 0..<count {
            switch style {
            case .inline:
                if index > 0 { output += ", " }
            case .indented:
                output += (index > 0 ? ",\n" : "\n") + String(repeating: "  ", count: depth + 1)
            }
            element(index, &output)
        }
        if case .indented = style {
            output += "\n" + String(repeating: "  ", count: depth)
        }
        output += close
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return PythonFormatting.floatRepr(value)
    }

    /// A JSON string literal with every non-ASCII character escaped as `\uXXXX`.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let offset = scalar.value - 0x10000
                        result += "\\u" + PythonFormatting.hex(0xD800 + (offset >> 10), width: 4)
                        result += "\\u" + PythonFormatting.hex(0xDC00 + (offset & 0x3FF), width: 4)
                    } else {
                        result += "\\u" + PythonFormatting.hex(scalar.value, width: 4)
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
