/// Numeric precision of a profile, ranked so that smaller formats come first
/// when the user leaves precision on `auto`.
public enum Precision: String, CaseIterable, Sendable, Codable {
    case fp4, fp8, fp16, fp32, bf16, int4, int8

    public var rank: Int {
        switch self {
        case .int4: return 1
        case .int8: return 2
        case .fp4: return 3
        case .fp8: return 4
        case .fp16: return 5
        case .bf16: return 6
        case .fp32: return 7
        }
    }
}
