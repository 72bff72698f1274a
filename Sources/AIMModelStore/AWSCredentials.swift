import AIMCore
import Foundation

/// AWS access keys, from the environment or the shared credentials file.
public struct AWSCredentials: Equatable, Sendable {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else the
    /// `AWS_PROFILE` section (default `default`) of `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    public static func resolve(environment: [String: String]) -> AWSCredentials? {
        if let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty, let secret = environment["AWS_SECRET_ACCESS_KEY"],
            !secret.isEmpty
        {
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path =
            environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.aws/credentials"
        guard let data = (try? BoundedFile.read(path, limit: 1 << 20)) else { return nil }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let section = iniSection(String(decoding: data, as: UTF8.self), named: profile)
        guard let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else { return nil }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    static func iniSection(_ text: String, named name: String) -> [String: String] {
        var current: String?
        var values: [String: String] = [:]
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            } else if current == name, let equals = line.firstIndex(of: "="), !line.hasPrefix("#"), !line.hasPrefix(";")
            {
                values[line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] = line[
                    line.index(after: equals)...
                ].trimmingCharacters(in: .whitespaces)
            }
        }
        return values
    }
}
