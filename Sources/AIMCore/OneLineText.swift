/// Text echoed from outside (a variable's value, a file name, a server's words) made safe for one
/// log or error line: control characters become visible escapes, so a value can neither break the
/// line in two nor move the cursor of a terminal.
public enum OneLineText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.append(scalar)
                continue
            }
            let escaped: String
            switch scalar {
            case "\n": escaped = "\\n"
            case "\r": escaped = "\\r"
            case "\t": escaped = "\\t"
            default: escaped = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            result.append(contentsOf: escaped.unicodeScalars)
        }
        return String(result)
    }

    /// A value quoted for a message: shortened to `limit` characters (a huge value cannot flood
    /// a log) and escaped, so that the message stays one line.
    public static func quoted<S: StringProtocol>(_ text: S, limit: Int = 80) -> String {
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : String(text)
        return "'" + escape(shown) + "'"
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: return true
        default: return false
        }
    }

    public static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }
}
