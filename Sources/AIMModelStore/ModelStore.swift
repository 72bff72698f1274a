import AIMConfiguration
import AIMCore
import AsyncHTTPClient
import Foundation
import Logging

/// Resolves a model reference to a verified local copy, downloading what is missing.
public struct ModelStore: Sendable {
    private let http: HTTPClient
    private let environment: [String: String]
    private let settings: StoreSettings
    private let logger: Logger
    private let freeSpace: @Sendable (String) -> Int64?

    public init(
        http: HTTPClient, environment: [String: String], settings: StoreSettings,
        logger: Logger = Logger(label: "aim_runtime.model_store"),
        freeSpace: @escaping @Sendable (String) -> Int64? = DiskSpace.available
    ) {
        self.http = http
        self.environment = environment
        self.settings = settings
        self.logger = logger
        self.freeSpace = freeSpace
    }

    /// An HTTP client set up for downloads: redirects are followed by hand (so a token never
    /// reaches a CDN), and a read that moves no byte for the stall limit fails and is retried.
    public static func makeHTTPClient(stallSeconds: Int, connectSeconds: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(connectSeconds)), read: .seconds(Int64(stallSeconds))))
        configuration.decompression = .disabled
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func ensure(_ reference: ModelReference) async throws -> CachedModel {
        switch reference {
        case .huggingFace(let repo, let revision):
            return try await HubDownloader(http: http, hub: HubSettings(environment: environment), settings: settings,
                                           logger: logger, freeSpace: freeSpace).ensure(repo: repo, revision: revision)
        case .s3(let bucket, let prefix):
            return try await S3Downloader(http: http, environment: environment, settings: settings, logger: logger,
                                          freeSpace: freeSpace).ensure(bucket: bucket, prefix: prefix)
        case .local(let path):
            guard ConfigurationLoader.isDirectory(path) else {
                throw AIMError(.modelNotFound, "the local model directory \(path) does not exist")
            }
            let files = CachedFiles.files(under: path)
            return CachedModel(source: .local, path: path, commit: nil, inHubCache: false, fileCount: files.count,
                               bytes: files.reduce(0) { $0 + $1.size }, downloadedBytes: 0)
        }
    }
}
