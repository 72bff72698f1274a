import AIMCore
import AIMProfiles
import OrderedCollections

/// vLLM's OpenAI-compatible server, rendered exactly as the reference does.
public struct VLLMCommandBuilder: EngineCommandBuilding {
    public static let module = "vllm.entrypoints.openai.api_server"
    private let pythonName: String

    /// - Parameter pythonName: `python` or `python3`, see `ExecutableLocator.pythonName`.
    public init(pythonName: String) {
        self.pythonName = pythonName
    }

    public func command(
        profile: Profile, model: ModelResolution, settings: EngineCommandSettings
    ) throws -> EngineCommand {
        var servedNames: [StructuredValue] = [.string(model.id)]
        if let aimID = settings.aimID, aimID != model.id {
            servedNames.append(.string(aimID))
        }
        var arguments = try EngineArgumentMerger.merge(
            profile: profile.engineArgs, overrides: settings.engineArgs, engine: .vllm,
            system: ["port": .int(settings.port), "served-model-name": .list(servedNames)])
        // Last, and only where neither the profile nor AIM_ENGINE_ARGS chose a value.
        if let seconds = settings.shutdownTimeoutSeconds, arguments["shutdown-timeout"] == nil {
            arguments["shutdown-timeout"] = .int(seconds)
        }
        let argv = [pythonName, "-m", Self.module, "--model", model.argument] + FlagRenderer.render(arguments)
        return EngineCommand(
            argv: argv, environment: profile.environmentStrings + model.environment, servedModelName: model.id)
    }
}
