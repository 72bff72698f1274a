import AIMCore

/// How the engine is started, chosen from what is installed, and why.
public struct EngineEntrypoint: Equatable, Sendable {
    public enum Form: String, Sendable {
        /// `python -m <server module> --model MODEL` (vLLM) or `--model-path MODEL` (SGLang): the reference's form.
        case module
        /// `vllm serve MODEL`: where vLLM no longer ships the server module.
        case cli
    }

    public let form: Form
    /// The argv up to the model: the program, then the module or subcommand.
    public let program: [String]
    /// The flag before the model's path, or nil where it is positional (`vllm serve MODEL`).
    public let modelFlag: String?
    /// One sentence for the plan and the log.
    public let reason: String

    public static let vllmServerModule = "vllm.entrypoints.openai.api_server"
    public static let vllmCLIModule = "vllm.entrypoints.cli.main"
    public static let sglangServerModule = "sglang.launch_server"

    /// - Parameters:
    ///   - pythonName: `python` or `python3`, as `ExecutableLocator.pythonName` chose.
    ///   - vllmProgramOnPath: whether vLLM's `vllm` console script is on PATH.
    ///   - multiNode: the engine runs across a group of nodes.
    public static func choose(
        for installation: EngineInstallation, pythonName: String, vllmProgramOnPath: Bool, multiNode: Bool = false
    ) -> EngineEntrypoint {
        if multiNode, installation.kind == .vllm {
            // The module form ignores --headless: a worker started that way fails on its first collective call.
            let why = "a multi-node group: vLLM's serve command, the only form whose workers run --headless"
            if vllmProgramOnPath {
                return EngineEntrypoint(form: .cli, program: ["vllm", "serve"], modelFlag: nil, reason: why)
            }
            return EngineEntrypoint(
                form: .cli, program: [pythonName, "-m", vllmCLIModule, "serve"], modelFlag: nil,
                reason: "\(why), through \(vllmCLIModule) (no `vllm` program is on PATH)")
        }
        switch installation.kind {
        case .sglang:
            return EngineEntrypoint(
                form: .module, program: [pythonName, "-m", sglangServerModule], modelFlag: "--model-path",
                reason: "SGLang is started by its launch_server module, as the reference does")
        case .vllm:
            let module = EngineEntrypoint(
                form: .module, program: [pythonName, "-m", vllmServerModule], modelFlag: "--model", reason: "")
            switch installation.state {
            case .missing(let why):
                return module.because("vLLM is not installed here (\(why)), so the reference's module form is shown")
            case .unknown(let why):
                return module.because("the installed vLLM could not be inspected (\(why)); the reference's module form")
            case .installed:
                let version = installation.version.map { " \($0)" } ?? ""
                if installation.files.contains(EngineInstallation.vllmServerModuleFile) {
                    return module.because("the installed vLLM\(version) has \(vllmServerModule), the reference's form")
                }
                let why = "the installed vLLM\(version) has no \(vllmServerModule)"
                if vllmProgramOnPath {
                    return EngineEntrypoint(
                        form: .cli, program: ["vllm", "serve"], modelFlag: nil, reason: "\(why); `vllm serve` instead")
                }
                return EngineEntrypoint(
                    form: .cli, program: [pythonName, "-m", vllmCLIModule, "serve"], modelFlag: nil,
                    reason: "\(why) and no `vllm` program is on PATH; `vllm serve` through \(vllmCLIModule)")
            }
        }
    }

    private func because(_ reason: String) -> EngineEntrypoint {
        EngineEntrypoint(form: form, program: program, modelFlag: modelFlag, reason: reason)
    }

    /// The argv up to and including the model.
    public func argv(model: String) -> [String] {
        program + (modelFlag.map { [$0, model] } ?? [model])
    }
}
