import Foundation
import Logging

/// When and how long to wait before trying a transfer again.
///
/// Transient failures (connection reset, time-outs, 5xx, 429) are retried with
/// capped exponential backoff and full jitter, honouring `Retry-After`.
/// Permanent ones (401, 403, 404, a checksum that fails twice, a full disk) are not.
/// An endpoint that cannot be reached, or too slow to answer a listing within its deadline, gets fewer attempts: each one already spends the HTTP client's
/// connect timeout retrying the connection, and a wrong endpoint should fail in seconds, not minutes.
public struct RetryPolicy: Sendable {
    public let maxAttempts: Int
    public let maxUnreachableAttempts: Int
    public let baseDelay: TimeInterval
    public let maxDelay: TimeInterval

    public init(
        maxAttempts: Int = 6, maxUnreachableAttempts: Int = 2, baseDelay: TimeInterval = 0.5,
        maxDelay: TimeInterval = 30
    ) {
        self.maxAttempts = maxAttempts
        self.maxUnreachableAttempts = maxUnreachableAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// How many attempts a failure of this kind gets in all.
    public func attempts(for failure: TransferFailure) -> Int {
        switch failure.kind {
        case .unreachable, .overDeadline: return maxUnreachableAttempts
        default: break
        }
        return failure.isTransient ? maxAttempts : 1
    }

    /// Runs a request, again after transient failures (a 503 or a reset among hundreds of calls),
    /// with a warning for each retry so that a slow failure is never silent.
    public func retrying<T: Sendable>(
        _ what: String, logger: Logger, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let failure as TransferFailure where attempt < attempts(for: failure) {
                let wait = delay(afterAttempt: attempt, retryAfter: failure.retryAfter)
                logger.warning(
                    "\(what): \(failure.message); retrying in \(String(format: "%.1f", wait)) s (attempt \(attempt + 1) of \(attempts(for: failure)))"
                )
                try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                attempt += 1
            }
        }
    }

    /// Seconds to wait before attempt `attempt + 1` (attempts count from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?) -> TimeInterval {
        if let retryAfter { return min(max(retryAfter, 0), maxDelay) }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling)
    }
}

/// A failed transfer, sorted into what may be retried and what may not.
public struct TransferFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case transient(retryAfter: TimeInterval?)
        /// No connection could be made (refused, unresolvable, timed out).
        case unreachable
        /// A metadata answer did not arrive whole within its deadline (a trickling server).
        case overDeadline
        case checksum
        case permanent
    }

    public let kind: Kind
    public let message: String
    /// The HTTP status behind the failure, when a server answered.
    public let httpStatus: UInt?

    public init(_ kind: Kind, _ message: String, httpStatus: UInt? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String { message }

    public var isTransient: Bool {
        switch kind {
        case .transient, .unreachable, .overDeadline: return true
        case .checksum, .permanent: return false
        }
    }

    /// The server's `Retry-After`, when it sent one.
    public var retryAfter: TimeInterval? {
        if case .transient(let after) = kind { return after }
        return nil
    }
}
