import Foundation

/// Quotes one argument for a POSIX shell with the rules of Python's `shlex.quote`,
/// so that a shown command can be pasted and runs the same argv.
public enum ShellQuoting {
    public static func quote(_ argument: String) -> String {
        if argument.isEmpty { return "''" }
        if argument.unicodeScalars.allSatisfy(isSafe) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }

    public static func join(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    private static func isSafe(_ scalar: UnicodeScalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": return true
        default: return false
        }
    }
}

extension ShellQuoting {
    /// `[A-Za-z_][A-Za-z0-9_]*`: a name `export` takes as one word, and the rule for profile env_vars.
    public static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// `export NAME='value'`; a name that is not a variable name is never printed as code.
    public static func exportLine(name: String, value: String) -> String {
        guard isVariableName(name) else {
            return "# not exported: '\(OneLineText.escape(name))' is not a variable name"
        }
        return "export \(name)=\(quote(value))"
    }

    /// A `#` comment line whose values cannot end the comment or reach the terminal as control codes.
    public static func comment(_ text: String) -> String {
        "# " + OneLineText.escape(text)
    }
}
