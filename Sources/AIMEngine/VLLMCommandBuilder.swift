import AIMCore
import AIMProfiles
import OrderedCollections

/// vLLM's OpenAI-compatible server, rendered as the reference does where the installed vLLM allows.
public struct VLLMCommandBuilder: EngineCommandBuilding {
    private let engine: EngineChoice

    /// - Parameter engine: the installed vLLM, which decides the entrypoint and the flags it knows.
    public init(engine: EngineChoice) {
        self.engine = engine
    }

    public func command(
        profile: Profile, model: ModelResolution, settings: EngineCommandSettings
    ) throws -> EngineCommand {
        var servedNames = [model.id]
        if let aimID = settings.aimID, aimID != model.id {
            servedNames.append(aimID)
        }
        var system: OrderedDictionary<String, StructuredValue> = [
            "port": .int(settings.port), "served-model-name": .list(servedNames.map(StructuredValue.string)),
        ]
        if let group = settings.group {
            // vLLM's own multi-node mode (mp backend): every node the same flags, but its rank; workers headless.
            system["nnodes"] = .int(group.size)
            system["node-rank"] = .int(group.rank)
            system["master-addr"] = .string(group.leaderAddress)
            system["master-port"] = .int(group.masterPort)
            if group.role == .worker { system["headless"] = .bool(true) }
        }
        var arguments = try EngineArgumentMerger.merge(
            profile: profile.engineArgs, overrides: settings.engineArgs, engine: .vllm, system: system)
        if let revision = model.revision, arguments["revision"] == nil { arguments["revision"] = .string(revision) }
        // Last, where the installed vLLM knows it and neither the profile nor AIM_ENGINE_ARGS chose a value.
        if let seconds = settings.shutdownTimeoutSeconds, engine.installation.acceptsShutdownTimeout,
            arguments["shutdown-timeout"] == nil
        {
            arguments["shutdown-timeout"] = .int(seconds)
        }
        let argv = engine.entrypoint.argv(model: model.argument) + FlagRenderer.render(arguments)
        return EngineCommand(
            argv: argv, environment: profile.environmentStrings + model.environment + settings.groupEnvironment,
            servedNames: servedNames, servedModelName: model.id)
    }
}
