import AIMCore
import OrderedCollections

/// Turns engine arguments into argv flags with the reference's rules.
///
/// `null` and `true` give a bare `--flag`, `false` drops the flag, a list gives
/// the flag then each item, a mapping gives compact JSON, and any other value
/// is printed as Python's `str()` would. Keys are used verbatim after `--`.
public enum FlagRenderer {
    public static func render(_ arguments: OrderedDictionary<String, StructuredValue>) -> [String] {
        var argv: [String] = []
        for (key, value) in arguments {
            let flag = "--" + key
            switch value {
            case .null, .bool(true):
                argv.append(flag)
            case .bool(false):
                continue
            case .list(let items):
                argv.append(flag)
                argv.append(contentsOf: items.map(PythonFormatting.str))
            case .mapping:
                argv.append(contentsOf: [flag, JSONWriter.write(value)])
            default:
                argv.append(contentsOf: [flag, PythonFormatting.str(value)])
            }
        }
        return argv
    }
}
