import AIMCore
import Foundation

/// Tries the detection sources in order and reports the first that finds a GPU.
public struct GPUDetector: Sendable {
    private let readers: [any GPUSourceReading]
    private let environment: [String: String]

    /// - Parameters:
    ///   - readers: the sources to try, most trusted first.
    ///   - environment: for the *_VISIBLE_DEVICES variables.
    public init(readers: [any GPUSourceReading], environment: [String: String]) {
        self.readers = readers
        self.environment = environment
    }

    /// The readers for a source choice: `auto` means all of them, in trust order.
    public static func readers(
        for choice: GPUSource?, sysfsRoot: String, tools: any ToolRunning,
        libraryNames: [String] = RocmSMILibraryReader.defaultLibraryNames
    ) -> [any GPUSourceReading] {
        let all: [any GPUSourceReading] = [
            RocmSMILibraryReader(libraryNames: libraryNames),
            RocmSMIToolReader(runner: tools),
            AMDSMIToolReader(runner: tools),
            KFDTopologyReader(root: sysfsRoot),
        ]
        guard let choice else { return all }
        return all.filter { $0.source == choice }
    }

    /// - Throws: `AIMError` (configuration) when a visibility variable is malformed or out of range.
    public func detect() async throws -> GPUReport {
        var attempts: [GPUReport.Attempt] = []
        for reader in readers {
            let answer: GPUSourceAnswer
            do {
                answer = try await reader.answer()
            } catch let unavailable as GPUSourceUnavailable {
                attempts.append(.init(source: reader.source, skippedBecause: unavailable.reason))
                continue
            }
            let devices = answer.devices
            guard !devices.isEmpty else {
                attempts.append(.init(source: reader.source, skippedBecause: "found no GPU"))
                continue
            }
            attempts.append(.init(source: reader.source, skippedBecause: nil))
            let visible = try VisibleDevices.filter(devices, environment: environment)
            return GPUReport(
                source: reader.source, gpus: visible.devices, detectedCount: devices.count, attempts: attempts,
                visibilityFilters: visible.applied, warnings: answer.warnings + Self.warnings(visible.devices))
        }
        return GPUReport(
            source: nil, gpus: [], detectedCount: 0, attempts: attempts, visibilityFilters: [], warnings: [])
    }

    /// Busy GPUs and mixed models are reported, never blocking, as in the reference.
    static func warnings(_ gpus: [GPUDevice]) -> [String] {
        var warnings: [String] = []
        let models = Set(gpus.map(\.model))
        if models.count > 1, let first = gpus.first {
            warnings.append(
                "mixed GPU models (\(models.map(\.rawValue).sorted().joined(separator: ", "))); selecting for the first GPU's, \(first.model.rawValue)"
            )
        }
        for gpu in gpus {
            if let busy = gpu.busyPercent, busy > 0 {
                warnings.append("GPU \(gpu.index) is busy (\(busy)% use); another process may be using it")
            } else if let used = gpu.vramUsedBytes, let total = gpu.vramTotalBytes, total > 0, used > total / 10 {
                // Through Double and capped: `used * 100` overflows for sizes a broken tool may print.
                let percent = Int(min(Double(used) / Double(total) * 100, 100))
                warnings.append("GPU \(gpu.index) has \(percent)% of its VRAM in use; another process may hold it")
            }
        }
        let partitioned = gpus.filter { ($0.computePartition ?? "SPX") != "SPX" }
        if let mode = partitioned.first?.computePartition {
            warnings.append(
                "\(partitioned.count) GPU(s) are in \(mode) compute partition mode: one board shows as several devices, each with a share of its compute units and memory"
            )
        }
        return warnings
    }
}
