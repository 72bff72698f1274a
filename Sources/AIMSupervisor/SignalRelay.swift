import Foundation

/// Catches SIGTERM, SIGINT and SIGHUP for the launcher and reports them in order.
final class SignalRelay: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "aim-runtime.signals")

    /// - Parameter handler: called on a private queue, at once, for each signal.
    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { handler(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }
}
