import AIMCore
import Logging

/// Where errors leave the model store: as `AIMError`s with a model-store status, so that a
/// Foundation or transfer error deep in a download or a cache check ends the command with
/// exit 6 (docs/exit-codes.md), not as an internal error. The lower error stays as `cause`.
enum StoreErrorBoundary {
    /// - Parameter action: what failed, for the message: "model download", "cache check".
    static func run<T>(_ action: String, logger: Logger? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw domainError(error, action: action, logger: logger)
        }
    }

    static func run<T>(_ action: String, logger: Logger? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw domainError(error, action: action, logger: logger)
        }
    }

    static func domainError(_ error: any Error, action: String, logger: Logger?) -> any Error {
        switch error {
        case is AIMError, is CancellationError:
            return error
        case let failure as TransferFailure:
            return AIMError(.modelFetchFailed, "\(action) failed: \(failure.message)", cause: failure)
        default:
            // Named by kind only: the raw text may hold URLs with credentials; the debug log has it.
            logger?.debug("unexpected store error: \(String(describing: error))")
            if let reason = SystemErrorText.describe(error) {
                return AIMError(
                    .modelFetchFailed,
                    "\(action) failed: \(reason); check the path and its permissions (is AIM_CACHE_PATH writable?)",
                    cause: error)
            }
            return AIMError(
                .modelFetchFailed,
                "\(action) failed unexpectedly (\(String(describing: type(of: error)))); run again with AIM_LOG_LEVEL=debug for details",
                cause: error)
        }
    }
}
