import AIMCore
import AIMMemory
import OrderedCollections

/// A memory estimate as list-profiles and select show it (docs/memory.md).
enum MemoryReport {
    static func document(_ estimate: MemoryEstimate?) -> StructuredValue {
        let estimate = estimate ?? .unknown("not estimated (AIM_MEMORY_CHECK=off)")
        func gib(_ bytes: Double?) -> StructuredValue {
            bytes.map { .double(($0 / 1_073_741_824 * 100).rounded() / 100) } ?? .null
        }
        return .mapping([
            "verdict": .string(estimate.verdict.rawValue),
            "required_gib_per_gpu": gib(estimate.requiredBytesPerGPU),
            "available_gib_per_gpu": gib(estimate.availableBytesPerGPU),
            "max_model_len_that_fits": estimate.maxModelLenThatFits.map(StructuredValue.int) ?? .null,
            "reason": .string(estimate.reason),
            "kv_cache_bytes_per_token": estimate.kvBytesPerToken.map { .int(Int($0.rounded())) } ?? .null,
            "model_precision": estimate.modelPrecision.map { .string($0.rawValue) } ?? .null,
        ])
    }

    /// The table's column: `fits`, `≤N`, `needs X GiB` or `?`.
    static func cell(_ estimate: MemoryEstimate?) -> String {
        guard let estimate else { return "-" }
        switch estimate.verdict {
        case .fits: return "fits"
        case .fitsWithMaxModelLen: return estimate.maxModelLenThatFits.map { "len≤\($0)" } ?? "fits"
        case .doesNotFit:
            return estimate.requiredBytesPerGPU.map { "needs \(Int(($0 / 1_073_741_824).rounded(.up))) GiB" } ?? "no"
        case .unknown: return "?"
        }
    }
}
