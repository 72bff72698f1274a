import AIMCore
import Foundation

/// `hf_token`: a gated Hugging Face model needs a token. Whether it is gated is asked of the Hub only when
/// online (not with HF_HUB_OFFLINE) and only where no token is set; a question that gets no answer warns.
/// The token itself is never printed: only where it came from.
enum HubTokenCheck {
    static let fix = "set HF_TOKEN (or HF_TOKEN_PATH) to a token of an account that accepted the model's licence"

    static func check(
        _ world: HostWorld, _ model: ModelFacts?, _ facts: LaunchFacts, askHub: Bool
    ) async -> HostCheck {
        guard let model else {
            return HostCheck(
                .hfToken, .warn, "\(facts.noProfile): the model, and so whether it needs a token, is unknown",
                fix: "set AIM_ID or AIM_MODEL_ID (and AIM_GPU_MODEL where no GPU is detected)")
        }
        guard let repo = model.hubRepo else {
            return HostCheck(.hfToken, .ok, "\(model.id) is not a Hugging Face model: no token needed")
        }
        if let source = tokenSource(world.environment) {
            return HostCheck(.hfToken, .ok, "a Hugging Face token is set (\(source))")
        }
        if offline(world.environment) {
            if let path = model.inPlace {
                return HostCheck(
                    .hfToken, .ok,
                    "no token is set, and none is needed: HF_HUB_OFFLINE is set and \(repo) is at \(path)")
            }
            return HostCheck(
                .hfToken, .warn,
                "no token is set, and HF_HUB_OFFLINE is set: the Hub is not asked whether \(repo) is gated",
                fix: fix)
        }
        guard askHub else {
            return HostCheck(.hfToken, .warn, "no token is set; whether \(repo) is gated was not asked", fix: fix)
        }
        switch await model.gate(repo) {
        case .open:
            return HostCheck(.hfToken, .ok, "no token is set, and the Hub says \(repo) is not gated")
        case .gated(let kind):
            return HostCheck(
                .hfToken, .fail,
                "\(repo) is gated (\(kind) approval) and no Hugging Face token is set: the download "
                    + "would stop with exit 8", fix: fix)
        case .unknown(let reason):
            return HostCheck(
                .hfToken, .warn, "no token is set, and whether \(repo) is gated is unknown: \(reason)", fix: fix)
        }
    }

    /// Where the model store would take the token from, in its order (HubSettings); nil when nowhere.
    static func tokenSource(_ environment: [String: String]) -> String? {
        func nonEmpty(_ text: String?) -> Bool { !(text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if nonEmpty(environment["HF_TOKEN"]) { return "HF_TOKEN" }
        if let path = environment["HF_TOKEN_PATH"], !path.isEmpty, nonEmpty(readToken(path)) {
            return "HF_TOKEN_PATH"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let hfHome =
            environment["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache") + "/huggingface")
        return nonEmpty(readToken(hfHome + "/token")) ? "$HF_HOME/token" : nil
    }

    private static func readToken(_ path: String) -> String? {
        BoundedFile.text(path, limit: 64 << 10)
    }

    static func offline(_ environment: [String: String]) -> Bool {
        ["1", "true", "yes", "on"].contains((environment["HF_HUB_OFFLINE"] ?? "").lowercased())
    }
}
