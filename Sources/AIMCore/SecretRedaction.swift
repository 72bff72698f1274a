import Foundation
import OrderedCollections

/// Hides secret values before anything is shown: logs, errors and dry-run plans.
///
/// The real argv and environment handed to the engine are never redacted; only
/// what a person or a log collector would read.
public enum SecretRedaction {
    public static let placeholder = "***"

    private static let secretWords = [
        "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY", "AUTHORIZATION", "CREDENTIAL",
    ]

    /// True for a variable or flag name that conventionally holds a secret,
    /// such as `HF_TOKEN`, `AWS_SECRET_ACCESS_KEY` or `--api-key`.
    public static func isSecretName(_ name: String) -> Bool {
        let normalized = name.uppercased()
            .replacingOccurrences(of: "-", with: "_")
            .trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        // `HF_TOKEN` and `AWS_SESSION_TOKEN` are secrets; `max-num-batched-tokens` is not.
        return normalized.hasSuffix("TOKEN") || secretWords.contains { normalized.contains($0) }
    }

    /// The argv with the values of secret flags (`--hf-token X`, `--api-key=X`) replaced.
    public static func redact(argv: [String]) -> [String] {
        var result = argv
        var insideSecret = false
        for (index, argument) in argv.enumerated() {
            if argument.hasPrefix("--") {
                let name = argument.dropFirst(2).split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                let secret = isSecretName(name)
                if secret, argument.contains("=") {
                    result[index] = "--" + name + "=" + placeholder
                }
                insideSecret = secret && !argument.contains("=")
            } else if insideSecret {
                result[index] = placeholder
            }
        }
        return result
    }

    /// A parsed document with the value of every secret-named key replaced, at any depth.
    public static func redact(document: StructuredValue) -> StructuredValue {
        switch document {
        case .mapping(let mapping):
            var result = mapping
            for (key, value) in mapping {
                result[key] = isSecretName(key) ? .string(placeholder) : redact(document: value)
            }
            return .mapping(result)
        case .list(let items):
            return .list(items.map { redact(document: $0) })
        default:
            return document
        }
    }

    /// YAML text with the value of each `secret_name: value` line replaced, comments and layout kept.
    public static func redact(yamlText: String) -> String {
        yamlText.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("#") else { return String(line) }
            let key = trimmed[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard isSecretName(key), !value.isEmpty else { return String(line) }
            return String(line[..<colon]) + ": '" + placeholder + "'"
        }.joined(separator: "\n")
    }

    /// The environment with the values of secret-named variables replaced.
    public static func redact<Environment: Sequence>(environment: Environment) -> [(key: String, value: String)]
    where Environment.Element == (key: String, value: String) {
        environment.map { (key: $0.key, value: isSecretName($0.key) ? placeholder : $0.value) }
    }

    /// Free text from outside (an engine's log line) with what looks like a secret hidden: the
    /// password of a URL (`https://user:secret@host`), Hugging Face tokens (`hf_…`), bearer tokens,
    /// and the value of every secret-named key (`HF_TOKEN=…`, `'api_key': '…'`, `?token=…`).
    public static func redact(text: String) -> String {
        guard !text.isEmpty else { return text }
        var result = text
        for (pattern, template) in textRules {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            result = expression.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
        }
        return redactSecretKeys(result)
    }

    private static let textRules: [(String, String)] = [
        ("(://[^/\\s:@]+:)[^/\\s@]+@", "$1" + placeholder + "@"),
        ("\\bhf_[A-Za-z0-9]{8,}", "hf_" + placeholder),
        ("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+", "$1" + placeholder),
    ]

    /// `key=value`, `key: value`, `'key': 'value'`: the value replaced where the key names a secret. A value
    /// ends at `?`, `@` and `&` and `scheme://` is no key, so a URL's own `?token=` is found too.
    private static func redactSecretKeys(_ text: String) -> String {
        let pattern = "([A-Za-z][A-Za-z0-9_.-]*)(['\"]?\\s*[:=](?!//)\\s*['\"]?)([^\\s'\",&}?@]+)"
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
        var result = ""
        var position = text.startIndex
        for found in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let key = Range(found.range(at: 1), in: text), let value = Range(found.range(at: 3), in: text),
                isSecretName(String(text[key])), text[value] != placeholder
            else { continue }
            result += text[position..<value.lowerBound] + placeholder
            position = value.upperBound
        }
        return result + text[position...]
    }
}
