import AIMCore
import Foundation

/// How to reach the Hugging Face Hub, from the variables huggingface_hub itself reads.
public struct HubSettings: Sendable {
    /// `HF_ENDPOINT`, for mirrors and tests; `https://huggingface.co` by default.
    public let endpoint: String
    /// `HF_TOKEN`, else the file at `HF_TOKEN_PATH`, else `$HF_HOME/token`.
    public let token: String?
    /// `HF_HUB_OFFLINE`: use only what is cached.
    public let offline: Bool

    public init(endpoint: String, token: String?, offline: Bool) {
        self.endpoint = endpoint
        self.token = token
        self.offline = offline
    }

    public init(environment: [String: String], readFile: (String) -> String? = HubSettings.readFile) {
        var endpoint = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        let home = environment["HOME"] ?? NSHomeDirectory()
        let hfHome =
            environment["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache") + "/huggingface")
        let candidates: [String?] = [
            environment["HF_TOKEN"],
            environment["HF_TOKEN_PATH"].flatMap { $0.isEmpty ? nil : readFile($0) },
            readFile(hfHome + "/token"),
        ]
        token = candidates.lazy.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        offline = ["1", "true", "yes", "on"].contains((environment["HF_HUB_OFFLINE"] ?? "").lowercased())
    }

    public static func readFile(_ path: String) -> String? {
        BoundedFile.text(path, limit: 64 << 10)
    }
}
