import AIMCore
import AIMReports
import AIMSupervisor
import Foundation
import Synchronization

/// The launch receipt on disk, next to serve's status file, rewritten whole as phases end.
final class LaunchReceiptFile: Sendable {
    let path: String
    private let receipt: Mutex<LaunchReceipt>
    private let now: @Sendable () -> Date

    /// `serve-status.json` → `serve-status.receipt.json`, in the same directory.
    static func path(statusPath: String) -> String {
        let stem = statusPath.hasSuffix(".json") ? String(statusPath.dropLast(5)) : statusPath
        return stem + ".receipt.json"
    }

    /// The most a receipt holds: a few KiB, and a line per model file.
    static let sizeLimit = 16 << 20

    init(statusPath: String, receipt: LaunchReceipt, now: @escaping @Sendable () -> Date) {
        path = Self.path(statusPath: statusPath)
        self.receipt = Mutex(receipt)
        self.now = now
    }

    /// Writes the receipt as it is; false when the file cannot be written.
    func write() -> Bool {
        receipt.withLock { Self.write($0, to: path) }
    }

    /// Records the first time a phase is reached (a restarted engine keeps its first times).
    func reached(_ phase: LaunchReceipt.Phase) {
        receipt.withLock { receipt in
            guard receipt.phases[phase] == nil else { return }
            receipt.reached(phase, at: now())
            _ = Self.write(receipt, to: path)
        }
    }

    private static func write(_ receipt: LaunchReceipt, to path: String) -> Bool {
        SafeFileWrite.replace(path, with: Array((JSONWriter.write(receipt.document, style: .indented) + "\n").utf8))
    }
}
