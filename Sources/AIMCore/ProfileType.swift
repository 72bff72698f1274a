/// A profile's maturity, ranked best first.
public enum ProfileType: String, CaseIterable, Sendable, Codable {
    case optimized, unoptimized, general, preview

    public var rank: Int {
        switch self {
        case .optimized: return 1
        case .preview: return 2
        case .unoptimized: return 3
        case .general: return 4
        }
    }
}
