import AIMCore
import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// One object of an S3 listing.
struct S3Object: Equatable, Sendable {
    let key: String
    let size: Int64
    let etag: String
}

/// The S3 calls a download needs, signed with SigV4: ListObjectsV2 and ranged GETs.
struct S3Client: Sendable {
    let http: HTTPClient
    let signer: SigV4Signer?
    /// e.g. `http://127.0.0.1:15000` (path-style), or nil for AWS's virtual-hosted endpoints.
    let endpoint: String?

    init(http: HTTPClient, environment: [String: String]) {
        self.http = http
        let region = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
        signer = AWSCredentials.resolve(environment: environment).map { SigV4Signer(credentials: $0, region: region) }
        let custom = [environment["AWS_ENDPOINT_URL_S3"], environment["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        endpoint = custom.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "https://s3.\(region).amazonaws.com"
    }

    /// Path-style addressing works on AWS and on every S3-compatible server (MinIO, moto).
    func url(bucket: String, key: String = "", query: [(String, String)] = []) -> URL {
        var text = "\(endpoint!)/\(bucket)"
        if !key.isEmpty {
            text += "/" + key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.encode(String($0)) }.joined(separator: "/")
        }
        if !query.isEmpty {
            text += "?" + query.map { "\(SigV4Signer.encode($0.0))=\(SigV4Signer.encode($0.1))" }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    func request(_ url: URL, range: ClosedRange<Int64>? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: HubClient.userAgent)
        if let signer {
            for (name, value) in signer.sign(method: "GET", url: url) { request.headers.add(name: name, value: value) }
        }
        if let range { request.headers.add(name: "Range", value: "bytes=\(range.lowerBound)-\(range.upperBound)") }
        return request
    }

    /// Every object under `prefix/`, across pages; directory markers are skipped.
    func list(bucket: String, prefix: String) async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            var query = [("list-type", "2")]
            if !prefix.isEmpty { query.append(("prefix", prefix + "/")) }
            if let token { query.append(("continuation-token", token)) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request(url(bucket: bucket, query: query)), timeout: .seconds(60))
            } catch {
                throw FileTransfer.transportFailure(error)
            }
            let body = try await HubClient.collect(response, limit: 64 << 20)
            if response.status.code >= 400 {
                throw classify(status: response.status.code, body: body, bucket: bucket, prefix: prefix, headers: response.headers)
            }
            for block in XMLScanner.elements("Contents", in: body) {
                guard let key = XMLScanner.value("Key", in: block), let size = XMLScanner.value("Size", in: block).flatMap({ Int64($0) }) else { continue }
                if key.hasSuffix("/") { continue }
                objects.append(S3Object(key: key, size: size, etag: (XMLScanner.value("ETag", in: block) ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))))
            }
            let truncated = XMLScanner.value("IsTruncated", in: body) == "true"
            let next = XMLScanner.value("NextContinuationToken", in: body)
            if truncated && (next == nil || next == token) {
                throw TransferFailure(.permanent, "S3 says the listing of s3://\(bucket)/\(prefix) continues but gives no new continuation token")
            }
            token = truncated ? next : nil
        } while token != nil
        return objects
    }

    func classify(status: UInt, body: String, bucket: String, prefix: String, headers: HTTPHeaders) -> Error {
        let code = XMLScanner.value("Code", in: body) ?? ""
        let place = "s3://\(bucket)/\(prefix)"
        switch code {
        case "NoSuchBucket", "NoSuchKey":
            return AIMError(.modelNotFound, "\(place) does not exist (\(code)); check the bucket and prefix")
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken":
            return AIMError(.modelTokenRejected, "S3 rejected the credentials for \(place) (\(code)); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN")
        default:
            break
        }
        switch status {
        case 401, 403:
            return signer == nil
                ? AIMError(.modelAuthRequired, "\(place) needs credentials (HTTP \(status)); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
                : AIMError(.modelAccessDenied, "the credentials have no access to \(place) (HTTP \(status) \(code)); grant s3:ListBucket and s3:GetObject")
        case 404:
            return AIMError(.modelNotFound, "\(place) does not exist (HTTP 404)")
        case 429, 500...599:
            return TransferFailure(.transient(retryAfter: headers.first(name: "Retry-After").flatMap(Double.init)), "S3 answered HTTP \(status) for \(place)")
        default:
            return TransferFailure(.permanent, "S3 answered HTTP \(status) \(code) for \(place)")
        }
    }
}

/// Just enough XML for S3's listing: the text of simple elements, entities decoded.
enum XMLScanner {
    static func elements(_ name: String, in text: String) -> [Substring] {
        var blocks: [Substring] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            blocks.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    static func value<S: StringProtocol>(_ name: String, in text: S) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
