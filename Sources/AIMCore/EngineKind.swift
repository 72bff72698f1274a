/// The inference engines a profile can target.
public enum EngineKind: String, CaseIterable, Sendable, Codable {
    case vllm
    case sglang
}
