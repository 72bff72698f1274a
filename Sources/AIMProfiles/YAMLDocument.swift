import AIMCore
import OrderedCollections
import Yams

/// A parsed YAML file: its value, and the line of each mapping key for error messages.
public struct YAMLDocument: Sendable {
    public let value: StructuredValue
    /// Line numbers (1-based) by dotted key path, e.g. `metadata.gpu`.
    public let lines: [String: Int]

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public let line: Int?
        public let problem: String
        public var description: String {
            line.map { "line \($0): \(problem)" } ?? problem
        }
    }

    public init(parsing text: String) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.syntaxError(from: error)
        }
        var lines: [String: Int] = [:]
        value = node.map { Self.convert($0, path: "", lines: &lines) } ?? .null
        self.lines = lines
    }

    private static func convert(_ node: Node, path: String, lines: inout [String: Int]) -> StructuredValue {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? PlainScalarResolver.resolve(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            return .list(sequence.enumerated().map { index, item in
                convert(item, path: "\(path)[\(index)]", lines: &lines)
            })
        case .mapping(let mapping):
            var result = OrderedDictionary<String, StructuredValue>()
            for (keyNode, valueNode) in mapping {
                let key = keyNode.scalar?.string ?? "\(keyNode)"
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let mark = keyNode.mark { lines[childPath] = mark.line }
                result[key] = convert(valueNode, path: childPath, lines: &lines)
            }
            return .mapping(result)
        case .alias:
            return .null
        }
    }

    private static func syntaxError(from error: YamlError) -> SyntaxError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.joined(separator: ", ")
            return SyntaxError(line: mark.line, problem: detail)
        case .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.joined(separator: ", ")
            return SyntaxError(line: mark.line, problem: detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return SyntaxError(line: context.mark.line, problem: "duplicate key \(keys) in one mapping; write each key once")
        default:
            // Other cases embed the whole file in their description, which may hold secrets.
            return SyntaxError(line: nil, problem: "the file is not readable YAML (UTF-8 text expected)")
        }
    }
}
