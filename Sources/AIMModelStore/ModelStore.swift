import AIMCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

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
            timeout: .init(
                connect: .seconds(Self.clampedSeconds(connectSeconds)),
                read: .seconds(Self.clampedSeconds(stallSeconds))))
        // A refused or unresolvable host fails at once and RetryPolicy decides; the client would
        // otherwise retry the connection silently until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // The connection limiter decides how many transfers run (up to AIM_DOWNLOAD_MAX_CONNECTIONS's 256);
        // the client's own per-host default of 8 would otherwise queue the rest behind it.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        configuration.decompression = .disabled
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Seconds for a NIO time amount, which counts nanoseconds in Int64: kept within 1 s ... 1 year.
    static func clampedSeconds(_ seconds: Int) -> Int64 {
        Int64(min(max(seconds, 1), 31_536_000))
    }

    /// - Throws: `AIMError` with a model-store status (6-11) or a configuration one (2), whatever failed below.
    public func ensure(_ reference: ModelReference) async throws -> CachedModel {
        try await StoreErrorBoundary.run("model download", logger: logger) { try await fetch(reference) }
    }

    private func fetch(_ reference: ModelReference) async throws -> CachedModel {
        // Settings first, before any request or file: a wrong one is exit 2 naming it.
        try EndpointCheck.check(for: reference, environment: environment)
        if case .local = reference {} else { try CacheRoot.prepare(settings.cacheRoot) }
        switch reference {
        case .huggingFace(let repo, let revision):
            return try await HubDownloader(
                http: http, hub: HubSettings(environment: environment), settings: settings,
                logger: logger, freeSpace: freeSpace
            ).ensure(repo: repo, revision: revision)
        case .s3(let bucket, let prefix):
            return try await S3Downloader(
                http: http, environment: environment, settings: settings, logger: logger,
                freeSpace: freeSpace
            ).ensure(bucket: bucket, prefix: prefix)
        case .local(let path):
            guard Directory.exists(path) else {
                throw AIMError(.modelNotFound, "the local model directory \(path) does not exist")
            }
            let files = try DirectoryWalk.list(
                under: path, what: "the local model directory \(OneLineText.quoted(path))"
            ).files
            return CachedModel(
                source: .local, path: path, commit: nil, inHubCache: false,
                files: files.map { CachedFile(path: $0.path, size: $0.size, check: .sizeOnly) }, downloadedBytes: 0)
        }
    }
}
