import AIMCore

/// One detection source.
public protocol GPUSourceReading: Sendable {
    var source: GPUSource { get }
    /// The GPUs the source sees, in its index order.
    /// - Throws: `GPUSourceUnavailable` when the source cannot answer.
    func read() throws -> [GPUDevice]
}

/// Why a source gave no answer: not installed, failed, timed out or printed nothing usable.
public struct GPUSourceUnavailable: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
