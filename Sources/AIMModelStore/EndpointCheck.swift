import AIMCore
import Foundation

/// The endpoint variables, checked before any request: a wrong one is a configuration error
/// (exit 2) named at once, not six retries of an unsupported scheme.
public enum EndpointCheck {
    /// The variables that point the store at a server, in the order they are checked.
    public static let hubVariable = "HF_ENDPOINT"
    public static let s3Variables = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]

    /// Checks the endpoints a reference would use (none for a local path).
    public static func check(for reference: ModelReference, environment: [String: String]) throws {
        switch reference {
        case .huggingFace:
            // Offline (HF_HUB_OFFLINE), neither the endpoint nor the token is used: an air-gapped pod may carry any.
            let settings = HubSettings(environment: environment)
            if settings.offline { return }
            try check([hubVariable], environment: environment)
            // The token goes into a header: a newline in it would be a header of its own. Never echoed.
            if let token = settings.token, !isHeaderSafe(token) {
                throw AIMError.configuration(
                    "the Hugging Face token (HF_TOKEN, HF_TOKEN_PATH or $HF_HOME/token) holds spaces or control characters; set it to the token alone"
                )
            }
        case .s3:
            try check(s3Variables, environment: environment)
            for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
                if let value = environment[name], !value.isEmpty, !isHeaderSafe(value) {
                    throw AIMError.configuration("\(name) holds spaces or control characters; set it to the key alone")
                }
            }
        case .local:
            break
        }
    }

    /// Printable ASCII without spaces: what a token or key may be.
    static func isHeaderSafe(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func check(_ variables: [String], environment: [String: String]) throws {
        for name in variables {
            guard let value = environment[name], !value.isEmpty else { continue }
            if let problem = problem(value) {
                throw AIMError.configuration(
                    "\(name)=\(shown(value)) \(problem)"
                        + "; set it to an http or https URL such as https://host[:port], or unset it")
            }
        }
    }

    /// The value quoted for an error, with anything before an `@` withheld: `https://user:token@host`
    /// is refused, but its token must not reach the log that says so.
    static func shown(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return OneLineText.quoted(value) }
        let afterScheme = value.range(of: "://")?.upperBound ?? value.startIndex
        let scheme = afterScheme <= at ? value[..<afterScheme] : ""
        return OneLineText.quoted(scheme + "<withheld>" + value[at...])
    }

    /// Why a value is not a usable endpoint URL, or nil when it is one.
    static func problem(_ value: String) -> String? {
        if value.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }) {
            return "holds spaces or control characters"
        }
        guard let scheme = value.range(of: "://").map({ value[..<$0.lowerBound].lowercased() }) else {
            return "has no scheme"
        }
        guard scheme == "http" || scheme == "https" else {
            return "has the scheme '\(scheme.prefix(20))', not http or https"
        }
        guard let components = URLComponents(string: value) else { return "is not a URL" }
        guard let host = components.host, !host.isEmpty else { return "has no host" }
        if components.port.map({ !(1...65535).contains($0) }) == true { return "has a port outside 1-65535" }
        if components.query != nil || components.fragment != nil { return "has a query or fragment" }
        if components.user != nil || components.password != nil { return "holds a user name or password" }
        return nil
    }
}
