import AIMCore

/// Tells whether a string can be written as a plain YAML scalar and read back as the same string.
public enum YAMLScalarCheck {
    public static func readsAsString(_ text: String) -> Bool {
        PlainScalarResolver.resolve(text) == .string(text)
    }
}
