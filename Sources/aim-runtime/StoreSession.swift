import AIMCore
import AIMModelStore
import AsyncHTTPClient
import Foundation
import Logging

/// Owns the HTTP client for one command, and always shuts it down.
enum StoreSession {
    static func run<T>(stallSeconds: Int, connectSeconds: Int, _ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = ModelStore.makeHTTPClient(stallSeconds: stallSeconds, connectSeconds: connectSeconds)
        do {
            let result = try await body(http)
            try? await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            switch error {
            case let failure as TransferFailure:
                throw AIMError(.modelFetchFailed, "model download failed: \(failure.message)")
            case is AIMError, is CancellationError:
                throw error
            default:
                // The store maps what it knows; anything else is named by kind only, never dumped.
                Logger(label: "aim_runtime.model_store").debug("unexpected store error: \(String(describing: error))")
                throw AIMError(.modelFetchFailed, "model download failed unexpectedly (\(String(describing: type(of: error)))); run again with AIM_LOG_LEVEL=debug for details")
            }
        }
    }
}

extension Failure {
    /// `reporting` for async command bodies.
    static func reportingAsync(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as AIMError {
            throw report(error)
        }
    }
}
