/// The GPU models the reference knows, in its order.
///
/// `NONE` means no GPU and `UNKNOWN` an unrecognised device; neither names a
/// real target, so `AIM_GPU_MODEL=NONE` asks for detection.
public enum GPUModel: String, CaseIterable, Sendable, Codable {
    case mi100 = "MI100"
    case mi250x = "MI250X"
    case mi210 = "MI210"
    case mi300a = "MI300A"
    case mi300x = "MI300X"
    case mi308x = "MI308X"
    case mi325x = "MI325X"
    case mi350x = "MI350X"
    case mi355x = "MI355X"
    case v710 = "V710"
    case w7900 = "W7900"
    case w7800 = "W7800"
    case w6900x = "W6900X"
    case w6800 = "W6800"
    case w6800x = "W6800X"
    case v620 = "V620"
    case rx9070 = "RX9070"
    case rx7900 = "RX7900"
    case rx6900 = "RX6900"
    case rx6800 = "RX6800"
    case unknown = "UNKNOWN"
    case none = "NONE"

    /// True for a model that names hardware, false for `NONE` and `UNKNOWN`.
    public var isConcrete: Bool { self != .none && self != .unknown }

    /// The values a profile's `metadata.gpu` may take: every model but `UNKNOWN`.
    public static var profileValues: [GPUModel] { allCases.filter { $0 != .unknown } }
}
