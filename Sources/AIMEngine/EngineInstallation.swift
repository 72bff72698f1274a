import AIMCore
import Foundation

/// What of an engine the interpreter finds, read from its files rather than by importing it (an import
/// takes seconds). The launch spec's command follows it: the entrypoint and the flags this version knows.
public struct EngineInstallation: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        /// The engine's package directory and, where its metadata says, its version.
        case installed(package: String, version: String?)
        /// No interpreter, or it does not find the package: a dry run on a laptop. Says why.
        case missing(String)
        /// The probe could not tell (it hung, flooded or answered garbage). Says why, for a warning.
        case unknown(String)
    }

    public let kind: EngineKind
    public let state: State
    /// Relative paths of the package's files that exist, among those `EngineInstallation.probedFiles` names.
    public let files: Set<String>
    /// Whether the argument definitions in the package name `--shutdown-timeout`.
    public let acceptsShutdownTimeout: Bool

    public init(kind: EngineKind, state: State, files: Set<String> = [], acceptsShutdownTimeout: Bool = false) {
        self.kind = kind
        self.state = state
        self.files = files
        self.acceptsShutdownTimeout = acceptsShutdownTimeout
    }

    public var version: String? {
        if case .installed(_, let version) = state { return version }
        return nil
    }

    public var isInstalled: Bool {
        if case .installed = state { return true }
        return false
    }

    /// The reference's server module: `python -m vllm.entrypoints.openai.api_server`.
    public static let vllmServerModuleFile = "entrypoints/openai/api_server.py"
    /// `vllm serve`'s own module, run where the console script is not on PATH.
    public static let vllmCLIModuleFile = "entrypoints/cli/main.py"
    /// Where vLLM defines its engine arguments, searched for `--shutdown-timeout`.
    static let vllmArgumentsFile = "engine/arg_utils.py"

    /// Reads what the launch spec depends on from a package directory found by the interpreter.
    public static func inspect(
        _ kind: EngineKind, package: String, version: String?,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) },
        contents: (String) -> Data? = { BoundedFile.contents($0, limit: 16 << 20) }
    ) -> EngineInstallation {
        guard kind == .vllm else {
            return EngineInstallation(kind: kind, state: .installed(package: package, version: version))
        }
        let files = Set([vllmServerModuleFile, vllmCLIModuleFile].filter { fileExists(package + "/" + $0) })
        let arguments = contents(package + "/" + vllmArgumentsFile).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return EngineInstallation(
            kind: kind, state: .installed(package: package, version: version), files: files,
            acceptsShutdownTimeout: arguments.contains("\"--shutdown-timeout\""))
    }
}
