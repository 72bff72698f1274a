/// The `key value` lines of a KFD `properties` file.
///
/// Every KFD property is a whole number. A value that is not one (negative, 26 digits,
/// text) is kept apart as unusable, so that a property the reader needs can be reported.
struct KFDProperties: Equatable, Sendable {
    private(set) var values: [String: UInt64] = [:]
    private(set) var unusable: [String: String] = [:]

    init(parsing text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2 else { continue }
            let key = String(fields[0])
            if let value = UInt64(fields[1]) {
                values[key] = value
                unusable[key] = nil
            } else {
                unusable[key] = String(fields[1])
                values[key] = nil
            }
        }
    }

    /// The property as a number: absent, a value, or unusable.
    subscript(_ key: String) -> ToolNumber {
        if let value = values[key] { return .value(value) }
        if let text = unusable[key] { return .unusable(text) }
        return .absent
    }
}
