import AIMCore
import Foundation

/// Maps PCI device ids to GPU models. Ids the table does not know give `UNKNOWN`.
///
/// Only the id decides, never the marketing name, which differs between
/// tools and driver versions. VF and HF entries are the virtual-function and
/// alternate ids of the same boards.
public enum GPUDeviceTable {
    private static let models: [UInt32: GPUModel] = [
        0x738C: .mi100, 0x738E: .mi100,
        0x7408: .mi250x, 0x740C: .mi250x,
        0x740F: .mi210, 0x7410: .mi210,
        0x74A0: .mi300a,
        0x74A1: .mi300x, 0x74A9: .mi300x, 0x74B5: .mi300x, 0x74BD: .mi300x,
        0x74A2: .mi308x, 0x74A8: .mi308x, 0x74B6: .mi308x,
        0x74A5: .mi325x, 0x74B9: .mi325x,
        0x75A0: .mi350x, 0x75B0: .mi350x,
        0x75A3: .mi355x, 0x75B3: .mi355x,
        0x7460: .v710, 0x7461: .v710,
        0x7448: .w7900, 0x744A: .w7900,
        0x7449: .w7800, 0x745E: .w7800,
        0x73A2: .w6900x, 0x73A3: .w6800, 0x73AB: .w6800x,
        0x73A1: .v620, 0x73AE: .v620,
        0x7550: .rx9070, 0x744C: .rx7900, 0x73AF: .rx6900, 0x73BF: .rx6800,
    ]

    public static func model(for deviceID: UInt32) -> GPUModel {
        models[deviceID] ?? .unknown
    }

    /// Parses `0x74a1`, `0x74A1`, `74a1` (hex) as tools print device ids.
    public static func parseHex(_ text: String) -> UInt32? {
        var digits = text.trimmingCharacters(in: .whitespaces).lowercased()
        if digits.hasPrefix("0x") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        return UInt32(digits, radix: 16)
    }

    /// The canonical spelling: `0x` and four lower-case hex digits.
    public static func format(_ deviceID: UInt32) -> String {
        let digits = String(deviceID, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
