import AIMCore
import NIOHTTP1

/// Turns a Hub HTTP error into the exit status that says what the user must do.
///
/// The Hub answers several cases with the same status and tells them apart with
/// headers: `X-Error-Code` (`GatedRepo`, `RepoNotFound`, `RevisionNotFound`,
/// `EntryNotFound`) and `X-Error-Message` ("Invalid credentials in Authorization header").
enum HubErrorClassifier {
    static func error(status: UInt, headers: HTTPHeaders, repo: String, revision: String, hasToken: Bool) -> Error {
        let code = headers.first(name: "X-Error-Code")
        let message = headers.first(name: "X-Error-Message") ?? ""
        let tokenHint = "set HF_TOKEN (or HF_TOKEN_PATH) to a token from https://huggingface.co/settings/tokens"
        // Without a token, no answer can mean "your token is wrong": a 401 says a token is needed
        // (the Hub answers 401 RepoNotFound for a private repository asked anonymously).
        if !hasToken && status == 401 {
            return code == "GatedRepo"
                ? AIMError(
                    .modelAuthRequired,
                    "\(repo) is gated: this model needs a token: \(tokenHint) of an account that has accepted its licence (HTTP 401)"
                )
                : AIMError(
                    .modelAuthRequired,
                    "\(repo): this model needs a token: \(tokenHint); the Hub answered HTTP 401, as it does for a private, gated or missing repository, so also check the model id"
                )
        }
        if hasToken && message == "Invalid credentials in Authorization header" {
            return AIMError(
                .modelTokenRejected,
                "the Hub rejected the token for \(repo) (HTTP \(status)); check that HF_TOKEN is current and not revoked"
            )
        }
        switch code {
        case "GatedRepo":
            return hasToken
                ? AIMError(
                    .modelAccessDenied,
                    "\(repo) is gated and this token has no access yet (HTTP \(status)); accept the licence or request access on the model's page, then retry"
                )
                : AIMError(
                    .modelAuthRequired,
                    "\(repo) is gated: this model needs a token: \(tokenHint) of an account that has accepted its licence (HTTP \(status))"
                )
        case "RevisionNotFound":
            return AIMError(
                .modelNotFound,
                "\(repo) has no revision '\(revision)' (HTTP \(status)); check the @revision part of the model id")
        case "EntryNotFound":
            return AIMError(.modelNotFound, "a file of \(repo)@\(revision) is missing on the Hub (HTTP \(status))")
        case "RepoNotFound":
            return hasToken
                ? AIMError(
                    .modelNotFound,
                    "\(repo) does not exist, or this token cannot see it (HTTP \(status)); check the model id")
                : AIMError(
                    .modelNotFound,
                    "\(repo) does not exist (HTTP \(status)); check the model id, or \(tokenHint) if it is private")
        default:
            break
        }
        switch status {
        case 401:
            return AIMError(.modelTokenRejected, "the Hub refused the token for \(repo) (HTTP 401); check HF_TOKEN")
        case 403:
            return hasToken
                ? AIMError(
                    .modelAccessDenied,
                    "the token has no access to \(repo) (HTTP 403); request access on the model's page or use a token with read permission"
                )
                : AIMError(
                    .modelAuthRequired,
                    "\(repo): this model needs a token: \(tokenHint); the Hub refused anonymous access (HTTP 403)")
        case 404:
            return AIMError(
                .modelNotFound,
                "\(repo)@\(revision) was not found on the Hub (HTTP 404); check the model id and revision")
        case 429, 500...599:
            return TransferFailure(
                .transient(retryAfter: HTTPHeaderValues.retryAfter(headers.first(name: "Retry-After"))),
                "the Hub answered HTTP \(status) for \(repo)")
        default:
            return TransferFailure(.permanent, "the Hub answered HTTP \(status) for \(repo)")
        }
    }
}
