import OrderedCollections

/// A YAML or JSON value with its mapping order kept.
///
/// Profiles and `AIM_ENGINE_ARGS` are rendered into engine flags in the order
/// their keys were written, so mappings are ordered, never hashed.
public enum StructuredValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([StructuredValue])
    case mapping(OrderedDictionary<String, StructuredValue>)

    /// The name used in validation messages ("a string", "an integer"…).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .mapping: return "a mapping"
        }
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var mappingValue: OrderedDictionary<String, StructuredValue>? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// A mapping's value for `key`; nil for a missing key or a value that is not a mapping.
    public subscript(key key: String) -> StructuredValue? {
        mappingValue?[key]
    }
}
