import AIMSelection

/// `list-profiles --state`: one compatibility state, or all of them.
public enum StateFilter: CaseIterable, Sendable {
    case all
    case only(CompatibilityState)

    public init?(argument: String) {
        if argument.lowercased() == "all" {
            self = .all
        } else if let state = CompatibilityState(rawValue: argument.lowercased()) {
            self = .only(state)
        } else {
            return nil
        }
    }

    public static var allCases: [StateFilter] { [.all] + CompatibilityState.allCases.map(StateFilter.only) }

    /// The word the flag takes for this filter.
    public var argument: String {
        switch self {
        case .all: return "all"
        case .only(let state): return state.rawValue
        }
    }

    func matches(_ candidate: CompatibilityState) -> Bool {
        switch self {
        case .all: return true
        case .only(let state): return state == candidate
        }
    }
}
