import AIMCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The parts of the Hub HTTP API a download needs: the file list and each file's metadata.
struct HubClient: Sendable {
    let http: HTTPClient
    let settings: HubSettings

    /// `GET /api/models/{repo}/revision/{revision}?blobs=true`: the commit and its files.
    func snapshot(repo: String, revision: String) async throws -> HubSnapshot {
        let url = "\(settings.endpoint)/api/models/\(repo)/revision/\(Self.escape(revision))?blobs=true"
        let (response, deadline) = try await execute(authorized(url, method: .GET), repo: repo, revision: revision)
        let body = try await metadataRequest.body(
            of: response, url: url, deadline: deadline, limit: Self.listingBytes,
            what: "the Hub's file list of \(repo)@\(revision)")
        return try HubListingParser.parse(
            body, repo: repo, revision: revision, headerCommit: response.headers.first(name: "X-Repo-Commit"))
    }

    /// `HEAD /{repo}/resolve/{commit}/{file}` without following the redirect, whose
    /// headers (`X-Linked-Etag`, `X-Linked-Size`) describe the LFS object.
    func metadata(repo: String, commit: String, file: String) async throws -> HubFileMetadata {
        var url = "\(settings.endpoint)/\(repo)/resolve/\(Self.escape(commit))/\(Self.escapePath(file))"
        for _ in 0..<5 {
            var request = authorized(url, method: .HEAD)
            request.headers.add(name: "Accept-Encoding", value: "identity")
            let (response, _) = try await execute(request, repo: repo, revision: commit)
            let headers = response.headers
            let etag = HTTPHeaderValues.etag(headers.first(name: "X-Linked-Etag") ?? headers.first(name: "ETag"))
            let size = HTTPHeaderValues.contentLength(
                headers.first(name: "X-Linked-Size") ?? headers.first(name: "Content-Length"))
            if (300..<400).contains(response.status.code), let location = headers.first(name: "Location") {
                let target = Self.absolute(location, base: url)
                if Self.origin(of: target) == Self.origin(of: settings.endpoint), etag == nil {
                    url = target  // A renamed repo: ask again where it lives now.
                    continue
                }
                guard let etag, let size else {
                    throw Self.unusableHeaders(file: file, etag: etag, headers: headers, sizeHeader: "X-Linked-Size")
                }
                return HubFileMetadata(
                    commit: headers.first(name: "X-Repo-Commit"), etag: etag, size: size, downloadURL: target,
                    sameOrigin: Self.origin(of: target) == Self.origin(of: settings.endpoint))
            }
            guard let etag, let size else {
                throw Self.unusableHeaders(file: file, etag: etag, headers: headers, sizeHeader: "Content-Length")
            }
            return HubFileMetadata(
                commit: headers.first(name: "X-Repo-Commit"), etag: etag, size: size, downloadURL: url, sameOrigin: true
            )
        }
        throw TransferFailure(.permanent, "too many redirects for \(file)")
    }

    /// Requests for the file's bytes; the token goes only to the Hub itself, never to a CDN.
    func requestBuilder(for metadata: HubFileMetadata) -> FileTransfer.RequestBuilder {
        let settings = settings
        return { range in
            var request = HTTPClientRequest(url: metadata.downloadURL)
            request.headers.add(name: "User-Agent", value: Self.userAgent)
            request.headers.add(name: "Accept-Encoding", value: "identity")
            if metadata.sameOrigin, let token = settings.token {
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
            }
            if let range {
                request.headers.add(name: "Range", value: "bytes=\(range.lowerBound)-\(range.upperBound)")
            }
            return request
        }
    }

    static let userAgent = "aim-runtime/0.1"

    /// A HEAD answer without a usable ETag or size: which one, and what the server sent.
    private static func unusableHeaders(
        file: String, etag: String?, headers: HTTPHeaders, sizeHeader: String
    ) -> TransferFailure {
        if etag == nil {
            return TransferFailure(.permanent, "the Hub's answer for \(file) has no usable ETag; is HF_ENDPOINT a Hub?")
        }
        let sent = headers.first(name: "X-Linked-Size") ?? headers.first(name: "Content-Length")
        return TransferFailure(
            .permanent,
            "the Hub's answer for \(file) has no usable size (\(sizeHeader): \(sent.map { OneLineText.quoted($0, limit: 40) } ?? "absent")); is HF_ENDPOINT a Hub?"
        )
    }

    private func authorized(_ url: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let token = settings.token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        return request
    }

    /// A Hub's file list is a few hundred kilobytes even for large repositories.
    static let listingBytes = 32 << 20

    private var metadataRequest: MetadataRequest { MetadataRequest(http: http, setting: "HF_ENDPOINT") }

    private func execute(
        _ request: HTTPClientRequest, repo: String, revision: String
    ) async throws -> (HTTPClientResponse, NIODeadline) {
        let (response, deadline) = try await metadataRequest.send(request)
        if response.status.code >= 400 {
            throw HubErrorClassifier.error(
                status: response.status.code, headers: response.headers, repo: repo, revision: revision,
                hasToken: settings.token != nil)
        }
        return (response, deadline)
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? segment
    }

    static func escapePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "/")
    }

    static func absolute(_ location: String, base: String) -> String {
        URL(string: location, relativeTo: URL(string: base))?.absoluteString ?? location
    }

    static func origin(of url: String) -> String {
        guard let parsed = URL(string: url) else { return url }
        return "\(parsed.scheme ?? "")://\(parsed.host ?? ""):\(parsed.port ?? (parsed.scheme == "https" ? 443 : 80))"
    }
}
