import AIMCore

/// The engine a spec is rendered for: what is installed, and the entrypoint chosen from it.
public struct EngineChoice: Equatable, Sendable {
    public let installation: EngineInstallation
    public let entrypoint: EngineEntrypoint

    public init(
        installation: EngineInstallation, pythonName: String, vllmProgramOnPath: Bool, multiNode: Bool = false
    ) {
        self.installation = installation
        entrypoint = EngineEntrypoint.choose(
            for: installation, pythonName: pythonName, vllmProgramOnPath: vllmProgramOnPath, multiNode: multiNode)
    }

    /// No engine installed: the reference's module form, no version-dependent flags.
    public static func notInstalled(_ kind: EngineKind, pythonName: String) -> EngineChoice {
        EngineChoice(
            installation: EngineInstallation(kind: kind, state: .missing("not probed")), pythonName: pythonName,
            vllmProgramOnPath: false)
    }
}
