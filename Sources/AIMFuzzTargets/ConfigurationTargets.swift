import AIMConfiguration
import AIMCore
import AIMProfiles
import OrderedCollections

/// Profile YAML through the validator, and AIM_ENGINE_ARGS through the configuration loader.
enum ConfigurationTargets {
    /// A custom profile, the strictest place: aim_id and model_id are required too.
    private static let location = ProfileLocation(
        path: "/fuzz/custom/org/model/vllm-mi300x-fp16-tp1-latency.yaml",
        relativePath: "custom/org/model/vllm-mi300x-fp16-tp1-latency.yaml", searchPriority: 1)

    static func profileYAML(_ text: String) {
        do {
            let profile = try ProfileValidator().validate(text: text, location: location)
            FuzzInvariant.check(
                ProfileValidator.allowedGPUCounts.contains(profile.metadata.gpuCount),
                "gpu_count \(profile.metadata.gpuCount)")
        } catch let invalid as ProfileValidationError {
            FuzzInvariant.check(!invalid.description.isEmpty, "an empty validation message")
        } catch {
            FuzzInvariant.check(false, "the validator threw \(type(of: error)), not ProfileValidationError")
        }
    }

    static func engineArgs(_ text: String) {
        let loader = ConfigurationLoader(bundledProfileRoot: "/nonexistent", directoryExists: { _ in false })
        do {
            let configuration = try loader.load(
                ConfigurationInput(environment: ["AIM_ENGINE_ARGS": text]), requireModel: false)
            guard let arguments = configuration.engineArgs else { return }
            for engine in EngineKind.allCases {
                if let mismatch = EngineArgsValidator.firstProblem(in: arguments, engine: engine) {
                    FuzzInvariant.check(
                        arguments[mismatch.flag] != nil, "a mismatch names \(mismatch.flag), which is not an argument")
                    _ = mismatch.explanation
                }
            }
        } catch let error as AIMError {
            FuzzInvariant.check(
                error.status == .configuration, "AIM_ENGINE_ARGS failed with \(error.status), not configuration")
        } catch {
            FuzzInvariant.check(false, "the loader threw \(type(of: error)), not AIMError")
        }
    }
}
