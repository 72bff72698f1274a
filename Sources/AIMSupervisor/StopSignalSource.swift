import Synchronization

/// Where the supervisor gets stop signals. The handler runs on the source's own thread, at once:
/// relaying SIGTERM to the engine must not wait for a free thread of a busy concurrency pool.
public protocol StopSignalSource: Sendable {
    /// Calls `handler` for each signal from now on, until another handler replaces it.
    func listen(_ handler: @escaping @Sendable (Int32) -> Void)
}

/// Signals sent by hand, for tests: `send` calls the handler on the caller's thread.
public final class ManualStopSignals: StopSignalSource {
    private let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)

    public init() {}

    public func listen(_ handler: @escaping @Sendable (Int32) -> Void) {
        self.handler.withLock { $0 = handler }
    }

    public func send(_ signal: Int32) {
        handler.withLock { $0 }?(signal)
    }
}
