/// The facts a source printed but that could not be used, one warning line per field and problem.
///
/// A tool that prints `inf` or a 26-digit VRAM size leaves that fact unknown (nil);
/// the user learns why from one line naming the source and the field, not one per GPU.
public struct FieldWarnings: Equatable, Sendable {
    private struct Entry: Equatable, Sendable {
        let field: String
        let example: String
        let reason: String
        var gpus: [Int]
    }

    private let source: String
    private var entries: [Entry] = []

    public init(source: String) {
        self.source = source
    }

    /// Records that `field` of GPU `gpu` held `value`, which is unusable for `reason`.
    public mutating func note(field: String, gpu: Int?, value: String, reason: String) {
        if let position = entries.firstIndex(where: { $0.field == field && $0.reason == reason }) {
            if let gpu, !entries[position].gpus.contains(gpu) { entries[position].gpus.append(gpu) }
            return
        }
        entries.append(Entry(field: field, example: Self.shown(value), reason: reason, gpus: gpu.map { [$0] } ?? []))
    }

    /// A number as a source printed it: the value, or nil with a warning when it is unusable.
    mutating func take(_ number: ToolNumber, field: String, gpu: Int) -> UInt64? {
        switch number {
        case .absent: return nil
        case .value(let value): return value
        case .unusable(let text):
            note(field: field, gpu: gpu, value: text, reason: "not a whole number from 0 to 2^64-1")
            return nil
        }
    }

    /// A busy percentage: outside 0...100 it is unknown.
    mutating func percent(_ number: ToolNumber, field: String, gpu: Int) -> Int? {
        guard let value = take(number, field: field, gpu: gpu) else { return nil }
        guard value <= 100 else {
            note(field: field, gpu: gpu, value: String(value), reason: "a percentage must be 0 to 100")
            return nil
        }
        return Int(value)
    }

    public var lines: [String] {
        entries.map { entry in
            let gpus =
                entry.gpus.isEmpty
                ? ""
                : " for GPU " + entry.gpus.prefix(8).map(String.init).joined(separator: ", ")
                    + (entry.gpus.count > 8 ? " and \(entry.gpus.count - 8) more" : "")
            return
                "\(source) gave an unusable \(entry.field) (\(entry.example))\(gpus): \(entry.reason); treated as unknown"
        }
    }

    /// At most 60 characters, control characters escaped, so that a warning stays one short line.
    static func shown(_ value: String) -> String {
        let escaped = value.unicodeScalars.map { scalar -> String in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return "'" + (escaped.count > 60 ? escaped.prefix(57) + "..." : escaped) + "'"
    }
}
