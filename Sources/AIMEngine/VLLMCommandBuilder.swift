import AIMConfiguration
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

    public func command(profile: Profile, model: ModelResolution, configuration: RuntimeConfiguration) throws -> EngineCommand {
        var servedNames: [StructuredValue] = [.string(model.id)]
        if let aimID = configuration.aimID, aimID != model.id {
            servedNames.append(.string(aimID))
        }
        let arguments = try EngineArgumentMerger.merge(
            profile: profile.engineArgs, overrides: configuration.engineArgs, engine: .vllm,
            system: ["port": .int(configuration.port), "served-model-name": .list(servedNames)])
        let argv = [pythonName, "-m", Self.module, "--model", model.argument] + FlagRenderer.render(arguments)
        return EngineCommand(argv: argv, environment: profile.environmentStrings + model.environment)
    }
}
