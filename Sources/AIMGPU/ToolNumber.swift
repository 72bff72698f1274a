/// A number read from a tool or a sysfs file: absent, usable, or present but unusable.
///
/// "Unusable" (negative, fractional overflow, `inf`, `nan`, 26 digits, a size in an
/// unknown unit) is kept apart from "absent" so that it can be reported once.
enum ToolNumber: Equatable, Sendable {
    case absent
    case value(UInt64)
    case unusable(String)

    var value: UInt64? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// 2^64 as a Double: the first value that no longer converts to UInt64.
    private static let limit = 18_446_744_073_709_551_616.0

    /// A finite, non-negative Double below 2^64, truncated to a whole number; else unusable.
    static func whole(_ number: Double, text: String) -> ToolNumber {
        guard number.isFinite, number >= 0, number < limit else { return .unusable(text) }
        return .value(UInt64(number))
    }

    /// Decimal text as tools print it: `5`, `5.5`, `1e3`. Never `inf`, `nan` or hex, which `Double(_:)` accepts.
    static func parse(_ text: Substring) -> ToolNumber {
        let raw = String(text)
        if let integer = UInt64(raw) { return .value(integer) }
        guard !raw.isEmpty, raw.count <= 64,
            raw.allSatisfy({
                $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-")
            }),
            let number = Double(raw)
        else { return .unusable(raw) }
        return whole(number, text: raw)
    }

    /// This number times a unit's size in bytes, or unusable when that overflows.
    func scaled(by factor: UInt64, text: String) -> ToolNumber {
        guard case .value(let value) = self else { return self }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? .unusable(text) : .value(product)
    }
}
