import AIMSelection

/// ANSI colours for list-profiles rows, used only on a terminal without NO_COLOR.
enum TerminalColour {
    static let reset = "\u{1B}[0m"

    static func wrap(_ text: String, state: CompatibilityState) -> String {
        code(for: state) + text + reset
    }

    private static func code(for state: CompatibilityState) -> String {
        switch state {
        case .compatible: return "\u{1B}[92m"
        case .manualOnly: return "\u{1B}[32m"
        case .gpuMismatch: return "\u{1B}[93m"
        case .precisionMismatch: return "\u{1B}[94m"
        case .modelMismatch: return "\u{1B}[95m"
        case .engineMismatch: return "\u{1B}[96m"
        case .metricMismatch: return "\u{1B}[91m"
        case .insufficientMemory: return "\u{1B}[33m"
        case .invalid: return "\u{1B}[31;1m"
        }
    }
}
