import AIMCore
import Foundation
import OrderedCollections

/// Reads GPUs from `amd-smi static --json` and `amd-smi metric --json`.
///
/// Older releases print a list of GPUs; newer ones wrap it as `{"gpu_data": […]}`.
/// The metric call is optional: without it, use and busy percent are unknown.
public struct AMDSMIToolReader: GPUSourceReading {
    public let source = GPUSource.amdSMI
    private let runner: any ToolRunning

    public init(runner: any ToolRunning) {
        self.runner = runner
    }

    public func answer() async throws -> GPUSourceAnswer {
        let gpus = try Self.gpus(static: try await runner.run("amd-smi", arguments: ["static", "--json"]))
        return Self.answer(gpus: gpus, metric: try? await runner.run("amd-smi", arguments: ["metric", "--json"]))
    }

    /// The GPU list that `amd-smi static --json` printed, or why there is none.
    public static func gpus(static output: ToolOutput) throws -> [StructuredValue] {
        guard output.status == 0 else {
            throw GPUSourceUnavailable(
                "amd-smi static exited \(output.status): \(RocmSMIToolReader.lastLine(output.stderr))")
        }
        guard let gpus = gpuList(output.stdout) else {
            throw GPUSourceUnavailable(
                "amd-smi static printed no GPU list: \(RocmSMIToolReader.lastLine(output.stderr))")
        }
        return gpus
    }

    /// The GPUs, with use and VRAM in use from `amd-smi metric --json` where it answered.
    public static func answer(gpus: [StructuredValue], metric metricOutput: ToolOutput?) -> GPUSourceAnswer {
        let metrics = metricOutput.flatMap { $0.status == 0 ? gpuList($0.stdout) : nil } ?? []
        var warnings = FieldWarnings(source: GPUSource.amdSMI.rawValue)
        let devices = gpus.enumerated().map { position, gpu in
            // By the GPU's number; without a usable one, the metric entry at the same position.
            let metric =
                ToolJSON.number(ToolJSON.field(gpu, ["gpu"])).value.map { number in
                    metrics.first { ToolJSON.number(ToolJSON.field($0, ["gpu"])).value == number }
                } ?? (metrics.indices.contains(position) ? metrics[position] : nil)
            return device(index: position, gpu: gpu, metric: metric, warnings: &warnings)
        }
        return GPUSourceAnswer(devices: devices, warnings: warnings.lines)
    }

    static func gpuList(_ text: String) -> [StructuredValue]? {
        guard let document = try? JSONParser.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        switch document {
        case .list(let items): return items.isEmpty ? nil : items
        case .mapping(let mapping):
            if case .list(let items)? = mapping["gpu_data"], !items.isEmpty { return items }
            return nil
        default: return nil
        }
    }

    private static func device(
        index: Int, gpu: StructuredValue, metric: StructuredValue?, warnings: inout FieldWarnings
    ) -> GPUDevice {
        let asic = ToolJSON.field(gpu, ["asic"])
        let deviceID = ToolJSON.text(ToolJSON.field(asic, ["device_id"])).flatMap(GPUDeviceTable.parseHex)
        let marketName = ToolJSON.text(ToolJSON.field(asic, ["market_name"]))
        let partition = ToolJSON.field(gpu, ["partition"])
        let usage = ToolJSON.field(metric, ["usage"])
        let memory = ToolJSON.field(metric, ["mem_usage"])
        return GPUDevice(
            index: index,
            deviceID: deviceID.map(GPUDeviceTable.format),
            model: ToolJSON.model(deviceID: deviceID, names: [marketName]),
            gfxTarget: ToolJSON.text(ToolJSON.field(asic, ["target_graphics_version"])).map(GFXTarget.normalize),
            vramTotalBytes: warnings.take(
                ToolJSON.number(ToolJSON.field(ToolJSON.field(gpu, ["vram"]), ["size"]), bytes: true),
                field: "vram.size", gpu: index)
                ?? warnings.take(
                    ToolJSON.number(ToolJSON.field(memory, ["total_vram"]), bytes: true), field: "mem_usage.total_vram",
                    gpu: index),
            vramUsedBytes: warnings.take(
                ToolJSON.number(ToolJSON.field(memory, ["used_vram"]), bytes: true), field: "mem_usage.used_vram",
                gpu: index),
            busyPercent: warnings.percent(
                ToolJSON.number(ToolJSON.field(usage, ["gfx_activity"])), field: "usage.gfx_activity", gpu: index),
            computePartition: ToolJSON.text(
                ToolJSON.field(partition, ["compute_partition", "current_compute_partition"]))?.uppercased(),
            memoryPartition: ToolJSON.text(
                ToolJSON.field(partition, ["memory_partition", "current_memory_partition"]))?.uppercased(),
            locationID: ToolJSON.text(ToolJSON.field(ToolJSON.field(gpu, ["bus"]), ["bdf"]))?.lowercased(),
            uniqueID: ToolJSON.text(ToolJSON.field(asic, ["asic_serial"]))?.lowercased())
    }
}
