import AIMCore
import Foundation

/// Where a model comes from: a Hugging Face repo, an S3 prefix or a local directory.
public enum ModelReference: Equatable, Sendable, CustomStringConvertible {
    case huggingFace(repo: String, revision: String)
    case s3(bucket: String, prefix: String)
    case local(path: String)

    /// Parses `hf://org/name[@revision]`, a bare `org/name[@revision]`, `s3://bucket/prefix`,
    /// `/path` or `file:///path`. Anything else is rejected; the reference sends `gs://…` to the Hub.
    public static func parse(_ text: String) throws -> ModelReference {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func reject(_ why: String) -> AIMError {
            AIMError.configuration(
                "model reference \(OneLineText.quoted(text, limit: 200)) is not valid: \(why); expected hf://org/name[@revision], org/name, s3://bucket/prefix or an absolute local path"
            )
        }
        guard !trimmed.isEmpty else { throw reject("it is empty") }
        // Ids become URLs and cache paths: no control characters (a NUL would cut a path short), no novels.
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw reject("it holds control characters")
        }
        guard trimmed.utf8.count <= 4096 else { throw reject("it is longer than 4096 bytes") }
        if trimmed.hasPrefix("s3://") {
            let rest = trimmed.dropFirst(5)
            let bucket = String(rest.prefix { $0 != "/" })
            let prefix = rest.dropFirst(bucket.count).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard bucket.count >= 3, bucket.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
                throw reject(
                    "\(OneLineText.quoted(bucket)) is not an S3 bucket name (3-63 letters, digits, '-' or '.')")
            }
            try checkSegments(prefix, reject)
            return .s3(bucket: bucket, prefix: prefix)
        }
        if trimmed.hasPrefix("file://") || trimmed.hasPrefix("/") {
            let path = trimmed.hasPrefix("file://") ? String(trimmed.dropFirst(7)) : trimmed
            guard path.hasPrefix("/") else { throw reject("a file:// reference needs an absolute path") }
            try checkSegments(path, reject)
            return .local(path: path)
        }
        if let scheme = trimmed.range(of: "://"), !trimmed.hasPrefix("hf://") {
            throw reject("the scheme \(OneLineText.quoted(trimmed[..<scheme.lowerBound], limit: 20)) is not supported")
        }
        let body = trimmed.hasPrefix("hf://") ? String(trimmed.dropFirst(5)) : trimmed
        let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let repo = String(parts[0])
        let revision = parts.count > 1 ? String(parts[1]) : "main"
        guard isRepoID(repo) else {
            throw reject("\(OneLineText.quoted(repo)) is not a Hugging Face repo id (org/name)")
        }
        guard !revision.isEmpty, !revision.contains(".."), !revision.hasPrefix("/") else {
            throw reject("the revision \(OneLineText.quoted(revision)) is not valid")
        }
        return .huggingFace(repo: repo, revision: revision)
    }

    private static func checkSegments(_ path: String, _ reject: (String) -> AIMError) throws {
        if path.split(separator: "/").contains(where: { $0 == ".." }) { throw reject("'..' segments are not allowed") }
    }

    /// The Hub's rule: one or two names of letters, digits, `-`, `_`, `.`; no `--` or `..`.
    static func isRepoID(_ repo: String) -> Bool {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !repo.contains("--"), !repo.contains("..") else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 96
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                && !part.hasPrefix("-") && !part.hasPrefix(".")
        }
    }

    public var description: String {
        switch self {
        case .huggingFace(let repo, let revision):
            return revision == "main" ? "hf://\(repo)" : "hf://\(repo)@\(revision)"
        case .s3(let bucket, let prefix): return prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        case .local(let path): return path
        }
    }
}
