/// The parsers that read the outside world, each fed one fuzz input.
///
/// `aim-fuzz` (built only with `AIM_FUZZ=1`, see docs/fuzzing.md) calls `run` from libFuzzer;
/// the test suite replays every saved input in `Tests/Fixtures/fuzz/<target>/`
/// through the same `run`, so a reproducer found once stays a test.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case rocmSMI = "rocm-smi"
    case amdSMI = "amd-smi"
    case kfdProperties = "kfd-properties"
    case profileYAML = "profile-yaml"
    case engineArgs = "engine-args"
    case hubListing = "hub-listing"
    case s3Listing = "s3-listing"
    case httpHeaders = "http-headers"
    case modelConfig = "model-config"
    case groupMessage = "group-message"

    /// Feeds `bytes` to the target's parser. Returns normally for any input that is parsed or
    /// rejected cleanly; a trap, or a broken invariant (`FuzzInvariant.check`), ends the process.
    public static func run(_ target: FuzzTarget, _ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch target {
        case .rocmSMI: GPUToolTargets.rocmSMI(text)
        case .amdSMI: GPUToolTargets.amdSMI(text)
        case .kfdProperties: GPUToolTargets.kfdProperties(text)
        case .profileYAML: ConfigurationTargets.profileYAML(text)
        case .engineArgs: ConfigurationTargets.engineArgs(text)
        case .hubListing: StoreTargets.hubListing(text)
        case .s3Listing: StoreTargets.s3Listing(text)
        case .httpHeaders: StoreTargets.httpHeaders(text)
        case .modelConfig: MemoryTargets.modelConfig(text)
        case .groupMessage: GroupTargets.groupMessage(text)
        }
    }

    public static func run(_ target: FuzzTarget, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run(target, $0) }
    }
}
