import Foundation

/// When and how long to wait before trying a transfer again.
///
/// Transient failures (connection reset, time-outs, 5xx, 429) are retried with
/// capped exponential backoff and full jitter, honouring `Retry-After`.
/// Permanent ones (401, 403, 404, a checksum that fails twice, a full disk) are not.
public struct RetryPolicy: Sendable {
    public let maxAttempts: Int
    public let baseDelay: TimeInterval
    public let maxDelay: TimeInterval

    public init(maxAttempts: Int = 6, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Runs a request, again after transient failures (a 503 or a reset among hundreds of calls).
    public func retrying<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let failure as TransferFailure where failure.isTransient && attempt < maxAttempts {
                let retryAfter: TimeInterval? = { if case .transient(let after) = failure.kind { return after } else { return nil } }()
                try await Task.sleep(nanoseconds: UInt64(delay(afterAttempt: attempt, retryAfter: retryAfter) * 1_000_000_000))
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
        if case .transient = kind { return true }
        return false
    }
}
