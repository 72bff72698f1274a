import AIMCore
import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// The S3 calls a download needs, signed with SigV4: ListObjectsV2 and ranged GETs.
struct S3Client: Sendable {
    let http: HTTPClient
    let signer: SigV4Signer?
    /// e.g. `http://127.0.0.1:15000` (path-style), or AWS's regional endpoint.
    let endpoint: String
    /// The variable the endpoint came from, named when it cannot be reached.
    let setting: String

    init(http: HTTPClient, environment: [String: String]) {
        self.http = http
        let region =
            [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "us-east-1"
        signer = AWSCredentials.resolve(environment: environment).map { SigV4Signer(credentials: $0, region: region) }
        let custom = EndpointCheck.s3Variables.first { !(environment[$0] ?? "").isEmpty }
        var endpoint = custom.flatMap { environment[$0] } ?? "https://s3.\(region).amazonaws.com"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        setting = custom ?? "AWS_REGION"
    }

    /// Path-style addressing works on AWS and on every S3-compatible server (MinIO, moto).
    func url(bucket: String, key: String = "", query: [(String, String)] = []) throws -> URL {
        var text = "\(endpoint)/\(bucket)"
        if !key.isEmpty {
            text +=
                "/"
                + key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.encode(String($0)) }
                .joined(separator: "/")
        }
        if !query.isEmpty {
            text += "?" + query.map { "\(SigV4Signer.encode($0.0))=\(SigV4Signer.encode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else {
            throw TransferFailure(.permanent, "cannot form a URL for s3://\(bucket)/\(key) from \(setting)")
        }
        return url
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

    /// A listing may not go on for ever: at most this many pages of at most `pageBytes` each,
    /// and `maximumObjects` objects in all (a model has tens of files, not hundreds of thousands).
    static let maximumPages = 200
    static let maximumObjects = 100_000
    static let pageBytes = 16 << 20

    /// Every object under `prefix/`, across pages; directory markers are skipped.
    func list(bucket: String, prefix: String) async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        var pages = 0
        repeat {
            pages += 1
            guard pages <= Self.maximumPages, objects.count <= Self.maximumObjects else {
                throw TransferFailure(
                    .permanent,
                    "the listing of s3://\(bucket)/\(prefix) goes on past \(objects.count) objects in \(pages - 1) pages; a model prefix holds far fewer, so check the prefix"
                )
            }
            var query = [("list-type", "2")]
            if !prefix.isEmpty { query.append(("prefix", prefix + "/")) }
            if let token { query.append(("continuation-token", token)) }
            let pageURL = try url(bucket: bucket, query: query)
            let metadata = MetadataRequest(http: http, setting: setting)
            let (response, deadline) = try await metadata.send(request(pageURL))
            let body = try await metadata.body(
                of: response, url: pageURL.absoluteString, deadline: deadline, limit: Self.pageBytes,
                what: "the S3 listing of s3://\(bucket)/\(prefix)")
            if response.status.code >= 400 {
                throw classify(
                    status: response.status.code, body: body, bucket: bucket, prefix: prefix, headers: response.headers)
            }
            let page = try S3ListingParser.parse(body)
            objects += page.objects.filter { !$0.key.hasSuffix("/") }
            let truncated = page.isTruncated
            let next = page.nextContinuationToken
            if truncated && (next == nil || next == token) {
                throw TransferFailure(
                    .permanent,
                    "S3 says the listing of s3://\(bucket)/\(prefix) continues but gives no new continuation token")
            }
            token = truncated ? next : nil
        } while token != nil
        return objects
    }

    func classify(status: UInt, body: String, bucket: String, prefix: String, headers: HTTPHeaders) -> Error {
        let code = XMLScanner.value("Code", in: body) ?? ""
        let shown = code.isEmpty ? "" : " " + OneLineText.quoted(code, limit: 64)
        let place = "s3://\(bucket)/\(prefix)"
        switch code {
        case "NoSuchBucket", "NoSuchKey":
            return AIMError(.modelNotFound, "\(place) does not exist (\(code)); check the bucket and prefix")
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken":
            return AIMError(
                .modelTokenRejected,
                "S3 rejected the credentials for \(place) (\(code)); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"
            )
        default:
            break
        }
        switch status {
        case 401, 403:
            return signer == nil
                ? AIMError(
                    .modelAuthRequired,
                    "\(place) needs credentials (HTTP \(status)); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
                )
                : AIMError(
                    .modelAccessDenied,
                    "the credentials have no access to \(place) (HTTP \(status)\(shown)); grant s3:ListBucket and s3:GetObject"
                )
        case 404:
            return AIMError(.modelNotFound, "\(place) does not exist (HTTP 404)")
        case 429, 500...599:
            return TransferFailure(
                .transient(retryAfter: HTTPHeaderValues.retryAfter(headers.first(name: "Retry-After"))),
                "S3 answered HTTP \(status) for \(place)")
        default:
            return TransferFailure(.permanent, "S3 answered HTTP \(status)\(shown) for \(place)")
        }
    }
}
