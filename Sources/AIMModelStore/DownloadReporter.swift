import AIMCore
import Foundation
import Logging
import Synchronization

/// Shows download progress: a live bar on a terminal, a log line every few seconds otherwise.
final class DownloadReporter: Sendable {
    private let progress: TransferProgress
    private let label: String
    private let logger: Logger
    private let terminal: Bool
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let started = Date()

    init(progress: TransferProgress, label: String, logger: Logger, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.progress = progress
        self.label = label
        self.logger = logger
        self.terminal = terminal
    }

    func start() {
        let ticker = Task { [self] in
            while (try? await Task.sleep(for: terminal ? .milliseconds(250) : .seconds(5))) != nil {
                report()
            }
        }
        task.withLock { $0 = ticker }
    }

    func finish() {
        task.withLock { $0 }?.cancel()
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let (done, _) = progress.snapshot
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        logger.info(
            "Downloaded \(ByteCount.text(done)) of \(label) in \(String(format: "%.1f", seconds)) s (\(ByteCount.text(Self.byteCount(Double(done) / seconds)))/s)"
        )
    }

    private func report() {
        let (done, total) = progress.snapshot
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(done) / seconds
        let eta = rate > 0 && total > done ? String(format: "%.0f s", Double(total - done) / rate) : "-"
        let percent = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 0
        if terminal {
            let width = 30
            let filled = Int(percent * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line =
                "\r\(label) [\(bar)] \(ByteCount.text(done))/\(ByteCount.text(total)) \(ByteCount.text(Self.byteCount(rate)))/s ETA \(eta)\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            logger.info(
                "Downloading \(label): \(ByteCount.text(done)) of \(ByteCount.text(total)) (\(String(format: "%.0f", percent * 100))%), \(ByteCount.text(Self.byteCount(rate)))/s, ETA \(eta)"
            )
        }
    }

    /// A rate as a byte count, whatever the double holds (a near-zero interval makes huge rates).
    static func byteCount(_ value: Double) -> Int64 {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 9.0e18 ? .max : Int64(value)
    }
}
