import AsyncHTTPClient
import Foundation

/// The total size of a model's files, from the Hub's file list or an S3 listing, as the
/// reference's `dry-run --format json` reports it. Unknown (nil) offline or on any error.
public struct ModelSizeEstimator: Sendable {
    private let http: HTTPClient
    private let environment: [String: String]

    public init(http: HTTPClient, environment: [String: String]) {
        self.http = http
        self.environment = environment
    }

    /// `gibibytes(_:)`, or nil when the answer takes longer than `limit`: a size is a nicety, never a wait.
    public func gibibytes(_ reference: ModelReference, within limit: Duration) async -> Double? {
        await bytes(reference, within: limit).flatMap(Self.gibibytes(bytes:))
    }

    /// GiB with two decimals, or nil when the size is unknown or zero.
    public func gibibytes(_ reference: ModelReference) async -> Double? {
        await bytes(reference).flatMap(Self.gibibytes(bytes:))
    }

    /// `bytes(_:)`, or nil when the answer takes longer than `limit`.
    public func bytes(_ reference: ModelReference, within limit: Duration) async -> Int64? {
        await TimeLimit.first(within: limit) { await bytes(reference) }
    }

    /// The total bytes of the model's files, or nil when unknown (offline, an error).
    public func bytes(_ reference: ModelReference) async -> Int64? {
        let bytes: Int64?
        switch reference {
        case .huggingFace(let repo, let revision):
            let settings = HubSettings(environment: environment)
            guard !settings.offline else { return nil }
            let snapshot = try? await HubClient(http: http, settings: settings).snapshot(repo: repo, revision: revision)
            bytes = snapshot?.totalBytes
        case .s3(let bucket, let prefix):
            bytes = (try? await S3Client(http: http, environment: environment).list(bucket: bucket, prefix: prefix))
                .flatMap { ByteSum.total($0.map(\.size)) }
        case .local(let path):
            bytes = (try? DirectoryWalk.list(under: path, what: path)).map { ByteSum.saturating($0.files.map(\.size)) }
        }
        return bytes
    }

    /// GiB with two decimals, or nil for zero.
    public static func gibibytes(bytes: Int64) -> Double? {
        bytes > 0 ? (Double(bytes) / 1_073_741_824 * 100).rounded() / 100 : nil
    }

    /// The size of the model as it is in the cache at `cacheRoot`, when it is there: no network needed.
    public static func cached(_ source: String, cacheRoot: String) -> Double? {
        let entries = CacheInventory(cacheRoot: cacheRoot).entries(matching: source)
        return entries.first.flatMap { gibibytes(bytes: $0.bytes) }
    }
}
