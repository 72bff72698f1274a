import AIMCore
import Foundation
import Synchronization

/// What the signal relay and the engine attempts share: the running engine and the stop request.
final class StopControl: Sendable {
    private struct State {
        var engine: (any SupervisedEngine)?
        var signal: Int32?
        /// A second stop signal came: the engine is killed, now or as soon as it is adopted.
        var killRequested = false
    }

    private let state = Mutex(State())
    /// Set by the first SIGTERM or SIGINT.
    let requested = OneShot<Int32>()
    private let status: any ServeStatusRecording

    init(status: any ServeStatusRecording) {
        self.status = status
    }

    enum Action {
        /// Pass the signal to the engine's group; `stopping` when it starts the stop.
        case forward(to: (any SupervisedEngine)?, stopping: Bool)
        /// A second stop signal: kill the engine's group now.
        case kill((any SupervisedEngine)?)
    }

    /// Records a signal and says what to do with it. HUP is passed through; it stops nothing.
    func receive(_ signal: Int32) -> Action {
        let action = state.withLock { state -> Action in
            if signal == SIGHUP { return .forward(to: state.engine, stopping: false) }
            if state.signal != nil {
                state.killRequested = true
                return .kill(state.engine)
            }
            state.signal = signal
            return .forward(to: state.engine, stopping: true)
        }
        if signal != SIGHUP { requested.set(signal) }
        return action
    }

    /// Records "stopping", after the engine has its signal (the file write must not delay it). Under the
    /// lock, and with the stop already noted, so no other phase can overwrite it.
    func recordStopping() {
        state.withLock { _ in status.record(.stopping) }
    }

    var stopSignal: Int32? {
        state.withLock { $0.signal }
    }

    /// Makes `engine` the one signals go to; returns the signal it is owed for what arrived while it
    /// started: the stop signal, or SIGKILL after a second one.
    func adopt(_ engine: (any SupervisedEngine)?) -> Int32? {
        state.withLock { state in
            state.engine = engine
            return state.killRequested ? SIGKILL : state.signal
        }
    }

    /// Records a phase, unless a stop was requested: a stop is final.
    func record(_ phase: ServeStatus.Phase) {
        state.withLock { state in
            if state.signal == nil { status.record(phase) }
        }
    }
}
