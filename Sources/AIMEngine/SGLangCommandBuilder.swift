import AIMCore
import AIMProfiles
import OrderedCollections

/// SGLang's `launch_server`, with vLLM-style argument names mapped to SGLang's.
///
/// Profiles and AIM_ENGINE_ARGS may use either spelling, so that a user's
/// overrides carry over between engines. docs/engines.md lists the mapping.
public struct SGLangCommandBuilder: EngineCommandBuilding {
    /// vLLM flag name → SGLang flag name, for settings with the same meaning.
    public static let vllmAliases: [String: String] = [
        "tensor-parallel-size": "tp-size",
        "pipeline-parallel-size": "pp-size",
        "data-parallel-size": "dp-size",
        "gpu-memory-utilization": "mem-fraction-static",
        "max-model-len": "context-length",
        "max-num-seqs": "max-running-requests",
        "enforce-eager": "disable-cuda-graph",
        "no-enable-prefix-caching": "disable-radix-cache",
        "seed": "random-seed",
    ]

    private let engine: EngineChoice

    public init(engine: EngineChoice) {
        self.engine = engine
    }

    public func command(
        profile: Profile, model: ModelResolution, settings: EngineCommandSettings
    ) throws -> EngineCommand {
        var profileArguments = Self.translate(profile.engineArgs)
        if profileArguments["tp-size"] == nil {
            profileArguments["tp-size"] = .int(profile.metadata.totalGPUs)
        }
        // SGLang serves one name; the AIM id is the stable public one when there is one.
        let servedName = settings.aimID ?? model.id
        var system: OrderedDictionary<String, StructuredValue> = [
            "port": .int(settings.port), "served-model-name": .string(servedName),
        ]
        if let group = settings.group {
            // SGLang's own multi-node mode: ranks other than 0 serve no API.
            system["nnodes"] = .int(group.size)
            system["node-rank"] = .int(group.rank)
            system["dist-init-addr"] = .string(NodeGroup.endpoint(group.leaderAddress, group.masterPort))
        }
        var arguments = try EngineArgumentMerger.merge(
            profile: profileArguments, overrides: settings.engineArgs.map(Self.translate), engine: .sglang,
            system: system)
        if let revision = model.revision, arguments["revision"] == nil { arguments["revision"] = .string(revision) }
        let argv = engine.entrypoint.argv(model: model.argument) + FlagRenderer.render(arguments)
        return EngineCommand(
            argv: argv, environment: profile.environmentStrings + model.environment + settings.groupEnvironment,
            servedNames: [servedName],
            servedModelName: servedName)
    }

    static func translate(
        _ arguments: OrderedDictionary<String, StructuredValue>
    ) -> OrderedDictionary<String, StructuredValue> {
        var translated = OrderedDictionary<String, StructuredValue>()
        for (key, value) in arguments {
            translated[vllmAliases[key] ?? key] = value
        }
        return translated
    }
}
