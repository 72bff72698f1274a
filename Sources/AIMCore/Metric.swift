/// What a profile is tuned for.
public enum Metric: String, CaseIterable, Sendable, Codable {
    case latency
    case throughput
}
