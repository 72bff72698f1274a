import AIMCore
import AIMProfiles
import Yams

/// Writes a value as YAML with its mapping order kept.
enum YAMLWriter {
    static func write(_ value: StructuredValue) throws -> String {
        try Yams.serialize(node: node(value), sortKeys: false)
    }

    private static func node(_ value: StructuredValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .int(let integer): return Node(String(integer), Tag(.int))
        case .double(let double): return Node(PythonFormatting.floatRepr(double), Tag(.float))
        case .string(let text):
            // Quote text that would read back as another type, such as "1" or "yes".
            let plainReadsAsText = YAMLScalarCheck.readsAsString(text)
            return Node(text, Tag(.str), plainReadsAsText ? .any : .singleQuoted)
        case .list(let items): return Node(items.map(node))
        case .mapping(let mapping): return Node(mapping.map { (Node($0.key), node($0.value)) })
        }
    }
}
