import AIMCore
import AIMGPU
import Foundation
import OrderedCollections

/// `aim-runtime gpus`: the detection report as a table or as the documented JSON (docs/gpus-json.md).
public enum GPUReportView {
    public enum Format: String, CaseIterable, Sendable {
        case table, json
    }

    public static func render(_ report: GPUReport, format: Format) -> String {
        switch format {
        case .json: return JSONWriter.write(document(report), style: .indented) + "\n"
        case .table: return table(report)
        }
    }

    public static func document(_ report: GPUReport) -> StructuredValue {
        func optional<T>(_ value: T?, _ wrap: (T) -> StructuredValue) -> StructuredValue { value.map(wrap) ?? .null }
        let gpus: [StructuredValue] = report.gpus.map { gpu in
            .mapping([
                "index": .int(gpu.index),
                "device_id": optional(gpu.deviceID, StructuredValue.string),
                "model": .string(gpu.model.rawValue),
                "gfx_target": optional(gpu.gfxTarget, StructuredValue.string),
                "vram_total_bytes": optional(gpu.vramTotalBytes) { .int(Int(clamping: $0)) },
                "vram_used_bytes": optional(gpu.vramUsedBytes) { .int(Int(clamping: $0)) },
                "busy_percent": optional(gpu.busyPercent, StructuredValue.int),
                "compute_partition": optional(gpu.computePartition, StructuredValue.string),
                "memory_partition": optional(gpu.memoryPartition, StructuredValue.string),
                "location_id": optional(gpu.locationID, StructuredValue.string),
                "unique_id": optional(gpu.uniqueID, StructuredValue.string),
            ])
        }
        let attempts: [StructuredValue] = report.attempts.map { attempt in
            .mapping([
                "source": .string(attempt.source.rawValue),
                "used": .bool(attempt.skippedBecause == nil),
                "reason": optional(attempt.skippedBecause, StructuredValue.string),
            ])
        }
        return .mapping([
            "source": optional(report.source?.rawValue, StructuredValue.string),
            "count": .int(report.gpus.count),
            "model": report.gpus.isEmpty ? .null : .string(report.model.rawValue),
            "gpus": .list(gpus),
            "warnings": .list(report.warnings.map(StructuredValue.string)),
            "detected_count": .int(report.detectedCount),
            "visible_devices": .list(report.visibilityFilters.map(StructuredValue.string)),
            "attempts": .list(attempts),
        ])
    }

    private static func table(_ report: GPUReport) -> String {
        var lines: [String] = []
        if let source = report.source {
            lines.append(
                "\(report.gpus.count) GPU(s), model \(report.model.rawValue), from \(source.rawValue)"
                    + (report.visibilityFilters.isEmpty
                        ? ""
                        : " (\(report.visibilityFilters.joined(separator: ", ")); \(report.detectedCount) detected)"))
        } else {
            lines.append("No AMD GPU found.")
        }
        for attempt in report.attempts where attempt.skippedBecause != nil {
            lines.append("  skipped \(attempt.source.rawValue): \(attempt.skippedBecause!)")
        }
        if !report.gpus.isEmpty {
            let headings = [
                "INDEX", "DEVICE", "MODEL", "GFX", "VRAM TOTAL", "VRAM USED", "BUSY", "PARTITION", "LOCATION",
                "UNIQUE ID",
            ]
            let rows = report.gpus.map { gpu in
                [
                    String(gpu.index), gpu.deviceID ?? "-", gpu.model.rawValue, gpu.gfxTarget ?? "-",
                    gpu.vramTotalBytes.map(gibibytes) ?? "-", gpu.vramUsedBytes.map(gibibytes) ?? "-",
                    gpu.busyPercent.map { "\($0)%" } ?? "-",
                    [gpu.computePartition, gpu.memoryPartition].compactMap { $0 }.joined(separator: "/").nonEmpty
                        ?? "-",
                    gpu.locationID ?? "-", gpu.uniqueID ?? "-",
                ]
            }
            let widths = headings.indices.map { column in
                max(headings[column].count, rows.map { $0[column].count }.max() ?? 0)
            }
            let format = { (cells: [String]) in
                zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            lines.append("")
            lines.append(format(headings))
            lines += rows.map(format)
        }
        for warning in report.warnings {
            lines.append("warning: \(warning)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func gibibytes(_ bytes: UInt64) -> String {
        String(format: "%.1f GiB", Double(bytes) / 1_073_741_824)
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
