import AIMCore
import Foundation

/// Reads GPUs from `rocm-smi … --json`.
///
/// With no GPU, rocm-smi exits 0 with empty stdout and "Driver not initialized"
/// on stderr; that, like any failure, means this source has no answer.
public struct RocmSMIToolReader: GPUSourceReading {
    public let source = GPUSource.rocmSMI
    public static let arguments = [
        "--showid", "--showproductname", "--showmeminfo", "vram", "--showuse", "--showuniqueid", "--showbus", "--json",
    ]
    private let runner: any ToolRunning

    public init(runner: any ToolRunning) {
        self.runner = runner
    }

    public func answer() async throws -> GPUSourceAnswer {
        try Self.answer(from: try await runner.run("rocm-smi", arguments: Self.arguments))
    }

    /// What the output of `rocm-smi … --json` says: the GPUs, or why there is no answer.
    public static func answer(from output: ToolOutput) throws -> GPUSourceAnswer {
        let stdout = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status == 0 else {
            throw GPUSourceUnavailable("rocm-smi exited \(output.status): \(lastLine(output.stderr))")
        }
        guard !stdout.isEmpty else {
            throw GPUSourceUnavailable("rocm-smi printed nothing: \(lastLine(output.stderr))")
        }
        guard let document = try? JSONParser.parse(stdout), let cards = document.mappingValue else {
            throw GPUSourceUnavailable("rocm-smi printed something that is not a JSON object")
        }
        let entries = cards.filter { $0.key.lowercased().hasPrefix("card") }
            .compactMap { key, value in Int(key.dropFirst(4)).map { (number: $0, value: value) } }
            .sorted { $0.number < $1.number }
        var warnings = FieldWarnings(source: GPUSource.rocmSMI.rawValue)
        let devices = entries.enumerated().map { position, entry in
            device(index: position, card: entry.value, warnings: &warnings)
        }
        return GPUSourceAnswer(devices: devices, warnings: warnings.lines)
    }

    private static func device(index: Int, card: StructuredValue, warnings: inout FieldWarnings) -> GPUDevice {
        // Newer rocm-smi also prints the device id as "Card Model"; older ones put a name there.
        let idText = ToolJSON.text(ToolJSON.field(card, ["Device ID", "GPU ID", "Device id", "Card Model"]))
        let deviceID = idText.flatMap(GPUDeviceTable.parseHex)
        let names = [
            ToolJSON.text(ToolJSON.field(card, ["Card Series", "Card series"])),
            ToolJSON.text(ToolJSON.field(card, ["Card Model", "Card model"])),
            ToolJSON.text(ToolJSON.field(card, ["Device Name", "Market Name"])),
        ]
        let gfx = ToolJSON.text(ToolJSON.field(card, ["GFX Version", "gfx_version", "Target Graphics Version"]))
        return GPUDevice(
            index: index,
            deviceID: deviceID.map(GPUDeviceTable.format),
            model: ToolJSON.model(deviceID: deviceID, names: names),
            gfxTarget: gfx.map(GFXTarget.normalize),
            vramTotalBytes: warnings.take(
                ToolJSON.number(ToolJSON.field(card, ["VRAM Total Memory (B)"]), bytes: true),
                field: "'VRAM Total Memory (B)'", gpu: index),
            vramUsedBytes: warnings.take(
                ToolJSON.number(ToolJSON.field(card, ["VRAM Total Used Memory (B)"]), bytes: true),
                field: "'VRAM Total Used Memory (B)'", gpu: index),
            busyPercent: warnings.percent(
                ToolJSON.number(ToolJSON.field(card, ["GPU use (%)", "GPU Use (%)"])), field: "'GPU use (%)'",
                gpu: index),
            computePartition: ToolJSON.text(ToolJSON.field(card, ["Compute Partition", "compute_partition"]))?
                .uppercased(),
            memoryPartition: ToolJSON.text(ToolJSON.field(card, ["Memory Partition", "memory_partition"]))?
                .uppercased(),
            locationID: ToolJSON.text(ToolJSON.field(card, ["PCI Bus", "PCI Bus ID"]))?.lowercased(),
            uniqueID: ToolJSON.text(ToolJSON.field(card, ["Unique ID", "Unique Id"]))?.lowercased())
    }

    /// The last line of a tool's stderr, where rocm-smi and amd-smi put the actual error.
    static func lastLine(_ text: String) -> String {
        let line = text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return line.map(String.init) ?? "no message"
    }
}
