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
        let response = try await execute(authorized(url, method: .GET), repo: repo, revision: revision)
        let body = try await Self.collect(response, limit: 32 << 20)
        guard let document = try? JSONParser.parse(body), let info = document.mappingValue else {
            throw TransferFailure(.permanent, "the Hub's answer for \(repo)@\(revision) is not JSON; is HF_ENDPOINT (\(Self.origin(of: settings.endpoint))) a Hub?")
        }
        let commit = info["sha"]?.stringValue ?? response.headers.first(name: "X-Repo-Commit") ?? revision
        let siblings: [StructuredValue] = { if case .list(let items)? = info["siblings"] { return items } else { return [] } }()
        let files = siblings.compactMap { sibling -> HubFile? in
            guard let path = sibling.mappingValue?["rfilename"]?.stringValue else { return nil }
            let lfs = sibling.mappingValue?["lfs"]?.mappingValue
            let size: Int64? = {
                if case .int(let value)? = sibling.mappingValue?["size"] { return Int64(value) }
                if case .int(let value)? = lfs?["size"] { return Int64(value) }
                return nil
            }()
            return HubFile(path: path, size: size, lfsSHA256: lfs?["sha256"]?.stringValue)
        }
        return HubSnapshot(repo: repo, revision: revision, commit: commit, files: files)
    }

    /// `HEAD /{repo}/resolve/{commit}/{file}` without following the redirect, whose
    /// headers (`X-Linked-Etag`, `X-Linked-Size`) describe the LFS object.
    func metadata(repo: String, commit: String, file: String) async throws -> HubFileMetadata {
        var url = "\(settings.endpoint)/\(repo)/resolve/\(Self.escape(commit))/\(Self.escapePath(file))"
        for _ in 0..<5 {
            var request = authorized(url, method: .HEAD)
            request.headers.add(name: "Accept-Encoding", value: "identity")
            let response = try await execute(request, repo: repo, revision: commit)
            let headers = response.headers
            let etag = Self.cleanETag(headers.first(name: "X-Linked-Etag") ?? headers.first(name: "ETag"))
            let size = (headers.first(name: "X-Linked-Size") ?? headers.first(name: "Content-Length")).flatMap { Int64($0) }
            if (300..<400).contains(response.status.code), let location = headers.first(name: "Location") {
                let target = Self.absolute(location, base: url)
                if Self.origin(of: target) == Self.origin(of: settings.endpoint), etag == nil {
                    url = target  // A renamed repo: ask again where it lives now.
                    continue
                }
                guard let etag, let size else {
                    throw TransferFailure(.permanent, "the Hub's redirect for \(file) lacks X-Linked-Etag or X-Linked-Size")
                }
                return HubFileMetadata(
                    commit: headers.first(name: "X-Repo-Commit"), etag: etag, size: size, downloadURL: target,
                    sameOrigin: Self.origin(of: target) == Self.origin(of: settings.endpoint))
            }
            guard let etag, let size else {
                throw TransferFailure(.permanent, "the Hub's answer for \(file) lacks an ETag or a size")
            }
            return HubFileMetadata(commit: headers.first(name: "X-Repo-Commit"), etag: etag, size: size, downloadURL: url, sameOrigin: true)
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

    private func authorized(_ url: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let token = settings.token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        return request
    }

    private func execute(_ request: HTTPClientRequest, repo: String, revision: String) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw FileTransfer.transportFailure(error)
        }
        if response.status.code >= 400 {
            throw HubErrorClassifier.error(
                status: response.status.code, headers: response.headers, repo: repo, revision: revision, hasToken: settings.token != nil)
        }
        return response
    }

    static func collect(_ response: HTTPClientResponse, limit: Int) async throws -> String {
        var body = try await response.body.collect(upTo: limit)
        return body.readString(length: body.readableBytes) ?? ""
    }

    /// ETags arrive quoted and sometimes weak: `W/"abc"` → `abc`.
    static func cleanETag(_ value: String?) -> String? {
        guard var etag = value?.trimmingCharacters(in: .whitespaces), !etag.isEmpty else { return nil }
        if etag.hasPrefix("W/") { etag.removeFirst(2) }
        return etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? segment
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
