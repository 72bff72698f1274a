import AIMCommands
import AIMCore
import AIMReports
import AIMTestSupport
import AsyncHTTPClient
import Foundation
import Testing

@testable import AIMModelStore

/// Each stage throws its own domain's status and the one classification keeps it; a lower error
/// is kept as the cause and never shown.
@Suite struct ErrorMappingTests {
    @Test func aCauseIsKeptButTakesNoPartInEqualityOrTheLine() {
        let cause = CocoaError(.fileReadNoPermission)
        let wrapped = AIMError(.modelFetchFailed, "cannot read x", cause: cause)
        #expect(wrapped == AIMError(.modelFetchFailed, "cannot read x"))
        #expect(wrapped != AIMError(.failure, "cannot read x"))
        #expect((wrapped.cause as? CocoaError)?.code == .fileReadNoPermission)
        #expect(ErrorReport.classify(wrapped).status == .modelFetchFailed)
        #expect(ErrorReport.line(wrapped) == "error: cannot read x\n")
    }

    @Test func unwrappedFoundationErrorsAreInternalFailuresThatKeepTheirCause() {
        let error = POSIXError(.EIO)
        let mapped = ErrorReport.classify(error)
        #expect(mapped.status == .failure)
        #expect(mapped.message.hasPrefix("a system call failed: "))
        #expect(mapped.cause is POSIXError)
    }

    /// A file error deep in the store ends as the store's status (6), not as an internal error (1): here a
    /// cached file that is a directory, which `cache verify` cannot remove (EISDIR, even for root).
    @Test func aFileErrorDeepInTheModelStoreIsExitSix() async throws {
        let cache = try TemporaryDirectory()
        try cache.write(
            "org/model/.aim-manifest.json",
            #"{"source": "hf://org/model", "files": [{"path": "weights.bin", "size": 4, "etag": null}]}"#)
        try FileManager.default.createDirectory(
            atPath: cache.path + "/org/model/weights.bin/inside", withIntermediateDirectories: true)
        let outcome = await CommandHarness(environment: ["AIM_CACHE_PATH": cache.path]).run(CacheVerifyCommand())
        #expect(outcome.status == 6, "\(outcome.stderr)")
        #expect(
            outcome.stderr.hasPrefix("error: cache check failed: cannot remove \(cache.path)/org/model/weights.bin: "),
            "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test func foundationErrorsLeaveTheStoreAsExitSixNamingThePath() throws {
        let error = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/cache/hub/x"])
        let mapped = try #require(
            StoreErrorBoundary.domainError(error, action: "model download", logger: nil) as? AIMError)
        #expect(mapped.status == .modelFetchFailed)
        #expect(
            mapped.message.hasPrefix(
                "model download failed: a file operation failed ('/cache/hub/x'): permission denied"),
            "\(mapped.message)")
        #expect(mapped.cause is CocoaError)
        struct Unknown: Error {}
        let unknown = try #require(
            StoreErrorBoundary.domainError(Unknown(), action: "model download", logger: nil) as? AIMError)
        #expect(unknown.status == .modelFetchFailed)
        #expect(unknown.message.hasPrefix("model download failed unexpectedly (Unknown)"))
        let domain = AIMError(.modelNotFound, "org/x does not exist")
        #expect(StoreErrorBoundary.domainError(domain, action: "model download", logger: nil) as? AIMError == domain)
    }

    @Test func aRefusedConnectionIsExitSixWithTheTransferFailureAsCause() async throws {
        let cache = try TemporaryDirectory()
        let settings = try StoreFixture.settings(cacheRoot: cache.path)
        let http = ModelStore.makeHTTPClient(stallSeconds: 1, connectSeconds: 1)
        defer { _ = http.shutdown() }
        // A refused connection is a transfer failure: the store ends it as exit 6 with its own message.
        let store = ModelStore(http: http, environment: ["HF_ENDPOINT": "http://127.0.0.1:9"], settings: settings)
        let error = await #expect(throws: AIMError.self) {
            try await store.ensure(.huggingFace(repo: "org/model", revision: "main"))
        }
        #expect(error?.status == .modelFetchFailed, "\(error?.message ?? "")")
        #expect(error?.message.hasPrefix("model download failed: ") == true, "\(error?.message ?? "")")
        #expect(error?.cause is TransferFailure)
    }

    @Test func aUsageErrorEndsThroughTheSameRunner() {
        let stderr = CapturedText()
        let stdout = CapturedText()
        let context = CommandContext(
            environment: [:], standardOutput: stdout.sink, standardError: stderr.sink, bundledProfileRoot: "/x")
        let status = CommandRunner.end(
            with: AIMError(.configuration, "unknown option '--x'; see 'aim-runtime --help'"), in: context)
        #expect(status == 2)
        #expect(stderr.value == "error: unknown option '--x'; see 'aim-runtime --help'\n")
        #expect(stdout.value.isEmpty)
    }
}
