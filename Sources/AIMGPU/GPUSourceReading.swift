import AIMCore

/// One detection source.
public protocol GPUSourceReading: Sendable {
    var source: GPUSource { get }
    /// The GPUs the source sees, in its index order, and the facts it gave that could not be used.
    /// - Throws: `GPUSourceUnavailable` when the source cannot answer.
    func answer() async throws -> GPUSourceAnswer
}

extension GPUSourceReading {
    /// The GPUs alone, for callers that do not report warnings.
    public func read() async throws -> [GPUDevice] {
        try await answer().devices
    }
}

/// What a source answered: its GPUs, and one warning per field it printed but that was unusable.
public struct GPUSourceAnswer: Equatable, Sendable {
    public let devices: [GPUDevice]
    public let warnings: [String]

    public init(devices: [GPUDevice], warnings: [String] = []) {
        self.devices = devices
        self.warnings = warnings
    }
}

/// Why a source gave no answer: not installed, failed, timed out or printed nothing usable.
public struct GPUSourceUnavailable: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
