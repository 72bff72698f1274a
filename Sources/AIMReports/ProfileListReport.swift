import AIMCore
import AIMMemory
import AIMProfiles
import AIMSelection
import Foundation
import OrderedCollections

/// `list-profiles`: every profile with its state and the reason for it.
public struct ProfileListReport: Sendable {
    public let heading: ProfileListHeading
    public let gpu: GPUTarget
    public let rows: [ProfileListing]
    /// Why nothing would be chosen, when nothing would.
    public let selectionProblem: String?

    public init(heading: ProfileListHeading, gpu: GPUTarget, rows: [ProfileListing], selectionProblem: String?) {
        self.heading = heading
        self.gpu = gpu
        self.rows = rows
        self.selectionProblem = selectionProblem
    }

    public enum Format: String, CaseIterable, Sendable {
        case table, text, json
    }

    public func render(format: Format, colour: Bool) -> String {
        switch format {
        case .json: return JSONWriter.write(document, style: .indented) + "\n"
        case .text: return text
        case .table: return table(colour: colour)
        }
    }

    private var headerLines: [String] {
        [
            "AIM ID: \(heading.aimID ?? "None")   Model ID: \(heading.modelID ?? "None")",
            "GPU: \(heading.nodeCount > 1 ? "\(heading.nodeCount) nodes of " : "")\(gpu.count)x \(gpu.model.rawValue) (from \(gpu.source))   Engine: \(heading.engine.rawValue)   "
                + "Metric: \(heading.metric.rawValue)   Precision: \(heading.precision?.rawValue ?? "auto")",
            "Profile root: \(heading.profileRoot)",
        ]
    }

    private var footerLines: [String] {
        if let selected = rows.first(where: \.selected) {
            return ["", "Would select: \(selected.id)"]
        }
        return ["", "Would select: nothing" + (selectionProblem.map { " (\($0))" } ?? "")]
    }

    private func table(colour: Bool) -> String {
        let headings = [
            "", "PROFILE", "SOURCE", "GPU", "PRECISION", "ENGINE", "TP", "METRIC", "TYPE", "PRIO", "MEMORY", "STATE",
            "REASON",
        ]
        let cells = rows.map { row -> [String] in
            [
                row.selected ? "*" : "", row.id, row.source.rawValue,
                row.metadata?.gpu.rawValue ?? "-", row.metadata?.precision.rawValue ?? "-",
                row.metadata?.engine.rawValue ?? "-",
                row.metadata.map { $0.nodeCount > 1 ? "\($0.nodeCount)x\($0.gpuCount)" : String($0.gpuCount) } ?? "-",
                row.metadata?.metric.rawValue ?? "-", row.metadata?.type.rawValue ?? "-",
                String(row.location.searchPriority), MemoryReport.cell(row.memory), row.state.rawValue, row.reason,
            ]
        }
        let widths = headings.indices.map { column in
            max(headings[column].count, cells.map { $0[column].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = headerLines + ["", "\(rows.count) profiles", "", line(headings)]
        for (row, values) in zip(rows, cells) {
            let text = line(values)
            lines.append(colour ? TerminalColour.wrap(text, state: row.state) : text)
        }
        return (lines + footerLines).joined(separator: "\n") + "\n"
    }

    private var text: String {
        var lines = headerLines + ["", "\(rows.count) profiles"]
        for state in CompatibilityState.allCases {
            let group = rows.filter { $0.state == state }
            guard !group.isEmpty else { continue }
            lines += ["", "\(state.rawValue) (\(group.count)):"]
            for row in group {
                lines.append(
                    "  \(row.selected ? "* " : "")\(row.id)  [\(row.source.rawValue)] \(row.location.relativePath)")
                if !row.reason.isEmpty { lines.append("      \(row.reason)") }
                if let memory = row.memory, row.state != .insufficientMemory {
                    lines.append("      memory: \(memory.verdict.rawValue): \(memory.reason)")
                }
            }
        }
        return (lines + footerLines).joined(separator: "\n") + "\n"
    }

    private var document: StructuredValue {
        .mapping([
            "aim_id": heading.aimID.map(StructuredValue.string) ?? .null,
            "model_id": heading.modelID.map(StructuredValue.string) ?? .null,
            "gpu": .mapping([
                "model": .string(gpu.model.rawValue), "count": .int(gpu.count), "source": .string(gpu.source),
            ]),
            "selected": rows.first(where: \.selected).map { .string($0.id) } ?? .null,
            "profiles": .list(
                rows.map { row in
                    .mapping([
                        "id": .string(row.id),
                        "path": .string(row.location.relativePath),
                        "source": .string(row.source.rawValue),
                        "priority": .int(row.location.searchPriority),
                        "state": .string(row.state.rawValue),
                        "reason": .string(row.reason),
                        "manual_only": .bool(row.manualOnly),
                        "selected": .bool(row.selected),
                        "metadata": row.metadata.map(LaunchPlanReport.metadataDocument) ?? .null,
                        "memory": row.metadata == nil ? .null : MemoryReport.document(row.memory),
                    ])
                }),
        ])
    }
}
