import AIMCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Asks the Hub whether a repository is gated (`GET {HF_ENDPOINT}/api/models/{repo}` → `"gated"`: false,
/// "auto" or "manual"), for `doctor`'s `hf_token` check. Sends no token: it is asked only where none is set.
/// A question with a short time limit: no answer in time, or any other answer, is "unknown", never a guess.
public struct HubGateProbe: Sendable {
    public enum Answer: Equatable, Sendable {
        case open
        case gated(String)
        case unknown(String)
    }

    private let http: HTTPClient
    private let settings: HubSettings

    public init(http: HTTPClient, environment: [String: String]) {
        self.http = http
        settings = HubSettings(environment: environment)
    }

    /// The model page is a few KiB, more with a long file list.
    static let bodyLimit = 4 << 20

    public func gate(repo: String, within limit: Duration) async -> Answer {
        await TimeLimit.first(within: limit) { await ask(repo: repo, limit: limit) }
            ?? .unknown("the Hub (\(settings.endpoint)) did not answer within \(limit.components.seconds) s")
    }

    private func ask(repo: String, limit: Duration) async -> Answer {
        let url = "\(settings.endpoint)/api/models/\(HubClient.escapePath(repo))"
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: HubClient.userAgent)
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, deadline: .now() + .seconds(limit.components.seconds))
            body = try await response.body.collect(upTo: Self.bodyLimit)
        } catch {
            return .unknown("\(url) could not be read: \(OneLineText.escape(String(describing: error)))")
        }
        return Self.answer(status: Int(response.status.code), body: String(buffer: body), repo: repo)
    }

    /// What an answer says: a 401 or 404 without a token means private or missing, which a token may change.
    public static func answer(status: Int, body: String, repo: String) -> Answer {
        guard status == 200 else {
            if status == 401 || status == 403 || status == 404 {
                return .unknown("the Hub answered \(status) for \(repo): it is private, gated or does not exist")
            }
            return .unknown("the Hub answered \(status) for \(repo)")
        }
        guard let document = try? JSONParser.parse(body), document.mappingValue != nil else {
            return .unknown("the Hub's answer for \(repo) is not a JSON object")
        }
        switch document[key: "gated"] {
        case .bool(false): return .open
        case .string(let kind) where ["auto", "manual"].contains(kind): return .gated(kind)
        case .bool(true): return .gated("manual")
        default: return .unknown("the Hub's answer for \(repo) has no usable \"gated\" field")
        }
    }
}
