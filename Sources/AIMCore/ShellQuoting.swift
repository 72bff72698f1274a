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
