import AIMCore
import Foundation
import OrderedCollections

/// Tolerant look-ups in the JSON that rocm-smi and amd-smi print.
///
/// Their keys and value shapes change between ROCm releases: a number may be
/// `5`, `"5"`, `"5 %"`, `"N/A"` or `{"value": 5, "unit": "MB"}`. A fact that
/// cannot be read is unknown (nil), never an error.
enum ToolJSON {
    /// The first present value among several spellings of a key, matched case-insensitively.
    static func field(_ object: StructuredValue?, _ keys: [String]) -> StructuredValue? {
        guard let mapping = object?.mappingValue else { return nil }
        for key in keys {
            if let value = mapping[key] ?? mapping.first(where: { $0.key.lowercased() == key.lowercased() })?.value {
                if case .null = value { continue }
                if let text = value.stringValue, isUnknown(text) { continue }
                return value
            }
        }
        return nil
    }

    static func text(_ value: StructuredValue?) -> String? {
        switch value {
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return isUnknown(trimmed) ? nil : trimmed
        case .int(let integer)?: return String(integer)
        default: return nil
        }
    }

    /// A whole number, optionally with a unit; with `bytes`, known units convert to bytes.
    ///
    /// Anything out of range (negative, `inf`, `1e30`, 26 digits, an overflowing unit, an unknown
    /// unit for a size) is `.unusable`, never a trap: the caller makes it unknown with a warning.
    static func number(_ value: StructuredValue?, bytes: Bool = false) -> ToolNumber {
        switch value {
        case nil, .null?: return .absent
        case .int(let integer)?: return integer >= 0 ? .value(UInt64(integer)) : .unusable(String(integer))
        case .double(let double)?: return ToolNumber.whole(double, text: String(double))
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: " ")
            guard let first = parts.first, parts.count <= 2 else { return .unusable(trimmed) }
            return measured(first, unit: parts.count > 1 ? String(parts[1]) : nil, bytes: bytes, text: trimmed)
        case .mapping(let mapping)?:
            let unit = self.text(mapping["unit"])
            switch mapping["value"] {
            case .int(let integer)?:
                return measured(Substring(String(integer)), unit: unit, bytes: bytes, text: String(integer))
            case .double(let double)?:
                return measured(Substring(String(double)), unit: unit, bytes: bytes, text: String(double))
            case .string(let inner)?:
                let trimmed = inner.trimmingCharacters(in: .whitespaces)
                return isUnknown(trimmed)
                    ? .absent : measured(Substring(trimmed), unit: unit, bytes: bytes, text: trimmed)
            case nil, .null?: return .absent
            case let other?: return .unusable(other.kindDescription)
            }
        case let other?:
            return .unusable(other.kindDescription)
        }
    }

    /// `number` in `unit`: exact for whole numbers, through Double for fractions such as `1.5 GB`.
    private static func measured(_ number: Substring, unit: String?, bytes: Bool, text: String) -> ToolNumber {
        let shown = unit.map { text.hasSuffix($0) ? text : text + " " + $0 } ?? text
        guard let factor = bytes ? scale(unit) : 1 else { return .unusable(shown) }
        if let integer = UInt64(number) { return ToolNumber.value(integer).scaled(by: factor, text: shown) }
        guard case .value = ToolNumber.parse(number), let fraction = Double(number) else {
            return .unusable(shown)
        }
        return ToolNumber.whole(fraction * Double(factor), text: shown)
    }

    /// Bytes per unit; nil for a unit that is not a size.
    private static func scale(_ unit: String?) -> UInt64? {
        switch unit?.uppercased() {
        case nil, "B", "BYTES": return 1
        case "KB", "KIB": return 1 << 10
        case "MB", "MIB": return 1 << 20
        case "GB", "GIB": return 1 << 30
        case "TB", "TIB": return 1 << 40
        default: return nil
        }
    }

    private static func isUnknown(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.isEmpty || lowered == "n/a" || lowered == "na" || lowered == "unknown"
            || lowered == "not supported"
    }

    /// The GPU model from a device id, or, when a tool gives no id, from the product name.
    static func model(deviceID: UInt32?, names: [String?]) -> GPUModel {
        if let deviceID {
            let model = GPUDeviceTable.model(for: deviceID)
            if model != .unknown { return model }
        }
        let text = names.compactMap { $0?.uppercased().replacingOccurrences(of: " ", with: "") }.joined(separator: "|")
        // Longest names first, so that MI300X is not read as MI300A's prefix and so on.
        let candidates = GPUModel.allCases.filter(\.isConcrete).sorted { $0.rawValue.count > $1.rawValue.count }
        if let model = candidates.first(where: { text.contains($0.rawValue) }) { return model }
        // The device id table files MI250 under MI250X, as the reference does.
        return text.contains("MI250") ? .mi250x : .unknown
    }
}
