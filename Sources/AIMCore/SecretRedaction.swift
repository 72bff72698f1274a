import Foundation

/// Hides secret values before anything is shown: logs, errors and dry-run plans.
///
/// The real argv and environment handed to the engine are never redacted; only
/// what a person or a log collector would read.
public enum SecretRedaction {
    public static let placeholder = "***"

    private static let secretWords = ["SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY", "AUTHORIZATION", "CREDENTIAL"]

    /// True for a variable or flag name that conventionally holds a secret,
    /// such as `HF_TOKEN`, `AWS_SECRET_ACCESS_KEY` or `--api-key`.
    public static func isSecretName(_ name: String) -> Bool {
        let normalized = name.uppercased()
            .replacingOccurrences(of: "-", with: "_")
            .trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        // `HF_TOKEN` and `AWS_SESSION_TOKEN` are secrets; `max-num-batched-tokens` is not.
        return normalized.hasSuffix("TOKEN") || secretWords.contains { normalized.contains($0) }
    }

    /// The argv with the value after each secret flag (`--hf-token X`) replaced.
    public static func redact(argv: [String]) -> [String] {
        var result = argv
        var index = 0
        while index < result.count {
            let argument = result[index]
            if argument.hasPrefix("--"), isSecretName(String(argument.dropFirst(2))) {
                if let equals = argument.firstIndex(of: "=") {
                    result[index] = argument[..<equals] + "=" + placeholder
                } else if index + 1 < result.count, !result[index + 1].hasPrefix("--") {
                    result[index + 1] = placeholder
                    index += 1
                }
            }
            index += 1
        }
        return result
    }

    /// The environment with the values of secret-named variables replaced.
    public static func redact<Environment: Sequence>(environment: Environment) -> [(key: String, value: String)]
    where Environment.Element == (key: String, value: String) {
        environment.map { (key: $0.key, value: isSecretName($0.key) ? placeholder : $0.value) }
    }
}
