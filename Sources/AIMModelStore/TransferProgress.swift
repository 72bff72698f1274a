import Foundation

/// Bytes moved so far, shared by every transfer of one model.
public final class TransferProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done: Int64 = 0
    private var total: Int64 = 0

    public init() {}

    func expect(_ bytes: Int64) {
        lock.lock()
        total += bytes
        lock.unlock()
    }

    func add(_ bytes: Int64) {
        lock.lock()
        done += bytes
        lock.unlock()
    }

    public var snapshot: (done: Int64, total: Int64) {
        lock.lock()
        defer { lock.unlock() }
        return (done, total)
    }
}
