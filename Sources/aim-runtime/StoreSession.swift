import AIMCore
import AIMModelStore
import AsyncHTTPClient
import Foundation

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
            if let failure = error as? TransferFailure {
                throw AIMError(.modelFetchFailed, "model download failed: \(failure.message)")
            }
            throw error
        }
    }
}

extension Failure {
    /// `reporting` for async command bodies.
    static func reportingAsync(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            throw report(error)
        }
    }
}
