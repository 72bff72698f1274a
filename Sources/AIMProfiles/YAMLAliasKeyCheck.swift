/// Finds, before Yams composes a document, a mapping key that could stand for a large tree.
///
/// Yams checks each mapping for duplicate keys by hashing the key nodes, and a
/// node's hash walks its whole tree. An alias key (`*a: x`) or a list or
/// mapping key containing aliases (`[*a, *a]: x`, `? *a`) can stand for
/// billions of nodes, so that check alone would run for hours. Profiles only
/// ever need text keys, so when a document uses aliases at all, any sign of a
/// non-text key is refused. The scan is lexical and errs on the side of refusing.
enum YAMLAliasKeyCheck {
    /// The 1-based line of the first suspicious key, or nil when the document is safe to compose.
    static func suspiciousKeyLine(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard containsAlias(bytes) else { return nil }
        var line = 1
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            let previous = index > 0 ? bytes[index - 1] : UInt8(ascii: "\n")
            switch byte {
            case UInt8(ascii: "*") where isAnchorCharacter(at: index + 1, in: bytes):
                // `*name:` or `*name :`: an alias as a key.
                var next = index + 1
                while next < bytes.count, isAnchorCharacter(bytes[next]) { next += 1 }
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                    next += 1
                }
                if next < bytes.count, bytes[next] == UInt8(ascii: ":") { return line }
            case UInt8(ascii: "?") where isBlank(previous) || isFlowOpener(previous):
                // An explicit key, which may be any node.
                return line
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                // `[…]:` or `{…}:`: a flow collection as a key.
                var next = index + 1
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                    next += 1
                }
                if next < bytes.count, bytes[next] == UInt8(ascii: ":") { return line }
            default:
                break
            }
        }
        return nil
    }

    private static func containsAlias(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { bytes[$0] == UInt8(ascii: "*") && isAnchorCharacter(at: $0 + 1, in: bytes) }
    }

    /// libyaml's anchor characters: letters, digits, `_` and `-`.
    private static func isAnchorCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isAnchorCharacter(at index: Int, in bytes: [UInt8]) -> Bool {
        index < bytes.count && isAnchorCharacter(bytes[index])
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private static func isFlowOpener(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")
    }
}
