import AIMCore
import Foundation

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

    /// A number, optionally with a unit; `unitScale` converts known units to bytes.
    static func number(_ value: StructuredValue?, bytes: Bool = false) -> UInt64? {
        switch value {
        case .int(let integer)?: return integer >= 0 ? UInt64(integer) : nil
        case .double(let double)?: return double >= 0 && double < 1.8e19 ? UInt64(double) : nil
        case .string(let text)?:
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard let first = parts.first, let number = Double(first), number >= 0 else { return nil }
            let unit = parts.count > 1 ? String(parts[1]) : nil
            return UInt64(number * (bytes ? scale(unit) : 1))
        case .mapping(let mapping)?:
            guard let inner = number(mapping["value"]) else { return nil }
            return bytes ? UInt64(Double(inner) * scale(text(mapping["unit"]))) : inner
        default:
            return nil
        }
    }

    private static func scale(_ unit: String?) -> Double {
        switch unit?.uppercased() {
        case "KB", "KIB": return 1024
        case "MB", "MIB": return 1024 * 1024
        case "GB", "GIB": return 1024 * 1024 * 1024
        default: return 1
        }
    }

    private static func isUnknown(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.isEmpty || lowered == "n/a" || lowered == "na" || lowered == "unknown" || lowered == "not supported"
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
