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

    /// GiB with two decimals, or nil when the size is unknown or zero.
    public func gibibytes(_ reference: ModelReference) async -> Double? {
        let bytes: Int64?
        switch reference {
        case .huggingFace(let repo, let revision):
            let settings = HubSettings(environment: environment)
            guard !settings.offline else { return nil }
            let snapshot = try? await HubClient(http: http, settings: settings).snapshot(repo: repo, revision: revision)
            bytes = snapshot?.files.compactMap(\.size).reduce(0, +)
        case .s3(let bucket, let prefix):
            bytes = (try? await S3Client(http: http, environment: environment).list(bucket: bucket, prefix: prefix))?.map(\.size).reduce(0, +)
        case .local(let path):
            bytes = CacheInventory.size(of: path).bytes
        }
        guard let bytes, bytes > 0 else { return nil }
        return (Double(bytes) / 1_073_741_824 * 100).rounded() / 100
    }
}
