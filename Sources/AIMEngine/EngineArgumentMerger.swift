import AIMCore
import AIMProfiles
import OrderedCollections

/// Merges engine arguments: the profile's, then AIM_ENGINE_ARGS, then the
/// launcher's own `port` and `served-model-name`, which always win.
///
/// A key that already exists keeps its position and takes the new value; a
/// new key is appended. So the flag order is the profile's file order.
public enum EngineArgumentMerger {
    public static func merge(
        profile: OrderedDictionary<String, StructuredValue>,
        overrides: OrderedDictionary<String, StructuredValue>?,
        engine: EngineKind,
        system: OrderedDictionary<String, StructuredValue>
    ) throws -> OrderedDictionary<String, StructuredValue> {
        var merged = profile
        if let overrides {
            // The same rules as a profile's engine_args: flag-name keys, no control characters, known types.
            if let problem = EngineArgsValidator.firstProblem(in: overrides, engine: engine) {
                throw AIMError.configuration("AIM_ENGINE_ARGS is not valid: \(problem.explanation)")
            }
            merged.merge(overrides) { $1 }
        }
        merged.merge(system) { $1 }
        return merged
    }
}
