import AIMCore
import OrderedCollections
import Yams

/// A parsed YAML file: its value, and the line of each mapping key for error messages.
///
/// The work is bounded: Yams shares an anchored node among its aliases, so a
/// few lines of aliases ("billion laughs") describe a tree of billions of
/// nodes. Converting it stops at `Limits`, long before time or memory run out.
public struct YAMLDocument: Sendable {
    public let value: StructuredValue
    /// Line numbers (1-based) by dotted key path, e.g. `metadata.gpu`.
    public let lines: [String: Int]

    /// How much a document may expand to. A real profile has a few hundred values.
    public enum Limits {
        public static let values = 100_000
        /// Characters of scalar text, counted again at each alias that repeats them.
        public static let textBytes = 8 << 20
        public static let depth = 64
    }

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public let line: Int?
        public let problem: String
        /// True when the text is valid YAML but goes beyond `Limits` or the key rule, rather than a syntax error.
        public var isLimit = false
        public var description: String {
            line.map { "line \($0): \(problem)" } ?? problem
        }
    }

    public init(parsing text: String) throws {
        if let line = YAMLAliasKeyCheck.suspiciousKeyLine(in: text) {
            let problem =
                "a key here may be an alias, a list or a mapping, in a document with aliases; write keys as plain text"
            throw SyntaxError(line: line, problem: problem, isLimit: true)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.syntaxError(from: error, text: text)
        }
        var converter = Converter()
        value = try node.map { try converter.convert($0, path: "", depth: 0) } ?? .null
        lines = converter.lines
    }

    /// Walks the composed nodes once, counting what it produces against `Limits`.
    private struct Converter {
        var lines: [String: Int] = [:]
        var values = 0
        var textBytes = 0
        /// The line of the top-level key being converted, where an expansion is reported.
        var topLevelLine: Int?

        mutating func convert(_ node: Node, path: String, depth: Int) throws -> StructuredValue {
            values += 1
            if values > Limits.values {
                let problem =
                    "the document expands to more than \(Limits.values) values (aliases repeating large parts?)"
                throw SyntaxError(line: topLevelLine ?? node.mark?.line, problem: problem, isLimit: true)
            }
            guard depth <= Limits.depth else {
                throw SyntaxError(
                    line: node.mark?.line, problem: "nested more than \(Limits.depth) levels deep", isLimit: true)
            }
            switch node {
            case .scalar(let scalar):
                try charge(scalar.string, node)
                return scalar.style == .plain ? PlainScalarResolver.resolve(scalar.string) : .string(scalar.string)
            case .sequence(let sequence):
                var items: [StructuredValue] = []
                for (index, item) in sequence.enumerated() {
                    let childPath = "\(path)[\(index)]"
                    try charge(childPath, item)
                    items.append(try convert(item, path: childPath, depth: depth + 1))
                }
                return .list(items)
            case .mapping(let mapping):
                var result = OrderedDictionary<String, StructuredValue>()
                for (keyNode, valueNode) in mapping {
                    // A mapping or list as a key would be printed whole in messages; profiles never need one.
                    guard let key = keyNode.scalar?.string else {
                        throw SyntaxError(
                            line: keyNode.mark?.line,
                            problem:
                                "a mapping key must be text, not a \(keyNode.sequence == nil ? "mapping" : "list")",
                            isLimit: true)
                    }
                    let childPath = path.isEmpty ? key : "\(path).\(key)"
                    // Keys and the paths kept in `lines` are text too: an aliased mapping with long keys repeats them.
                    try charge(childPath, keyNode)
                    if let mark = keyNode.mark {
                        lines[childPath] = mark.line
                        if depth == 0 { topLevelLine = mark.line }
                    }
                    result[key] = try convert(valueNode, path: childPath, depth: depth + 1)
                }
                return .mapping(result)
            case .alias:
                return .null
            }
        }

        /// Counts text produced against `Limits.textBytes`.
        mutating func charge(_ text: String, _ node: Node) throws {
            textBytes += text.utf8.count
            if textBytes > Limits.textBytes {
                let problem =
                    "the document expands to more than \(Limits.textBytes >> 20) MiB of text (aliases repeating large parts?)"
                throw SyntaxError(line: topLevelLine ?? node.mark?.line, problem: problem, isLimit: true)
            }
        }
    }

    private static func syntaxError(from error: YamlError, text: String) -> SyntaxError {
        switch error {
        case .reader(let problem, let offset, let value, _):
            // e.g. "control characters are not allowed": NUL, escape and the like may not appear in YAML text.
            let line = offset.map { offset in
                1
                    + text.utf8.prefix(min(max(offset, 0), text.utf8.count)).reduce(0) {
                        $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0)
                    }
            }
            let character = value >= 0 ? " (U+" + String(value, radix: 16, uppercase: true) + ")" : ""
            return SyntaxError(line: line, problem: problem + character)
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // libyaml stops at 1000 levels and names its C setter; say it plainly.
            if problem.contains("Maximum nesting level") {
                return SyntaxError(
                    line: mark.line, problem: "nested more than \(Limits.depth) levels deep", isLimit: true)
            }
            let detail = [context?.text, problem].compactMap { $0 }.joined(separator: ", ")
            return SyntaxError(line: mark.line, problem: detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return SyntaxError(
                line: context.mark.line, problem: "duplicate key \(keys) in one mapping; write each key once")
        default:
            // Other cases embed the whole file in their description, which may hold secrets.
            return SyntaxError(line: nil, problem: "the file is not readable YAML (UTF-8 text expected)")
        }
    }
}
