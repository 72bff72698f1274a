import AIMCore
import Foundation
import Synchronization

/// Asks the engine on 127.0.0.1 whether it is up (`/health`) and serving the model (`/v1/models`).
struct HealthProbe: Sendable {
    let port: Int
    let servedModelName: String
    /// Seconds each request may take.
    var timeout: TimeInterval = 5

    func healthy() async -> Bool {
        await answer(EngineEndpoints.health) != nil
    }

    /// `/health` answers and `/v1/models` lists the served model.
    func ready() async -> Bool {
        guard await healthy() else { return false }
        return await listsModel()
    }

    /// `/v1/models` answers and lists the served model (any model when no name is known).
    func listsModel() async -> Bool {
        guard let body = await answer(EngineEndpoints.models) else { return false }
        if servedModelName.isEmpty { return true }
        return body.contains("\"\(servedModelName)\"") || body.contains(JSONEscaped.quoted(servedModelName))
    }

    /// The body of a 200 answer, or nil. The blocking socket work gets a thread of its own: on the
    /// cooperative pool or a busy global queue it would wait for a free thread, and the probe's time
    /// limit would no longer be the time it takes.
    /// A cancelled probe returns nil at once; its thread finishes within its own time limit.
    private func answer(_ path: String) async -> String? {
        let port = port
        let timeout = timeout
        let pending = Mutex<CheckedContinuation<String?, Never>?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                pending.withLock { $0 = continuation }
                if Task.isCancelled { pending.withLock { $0.take() }?.resume(returning: nil) }
                Thread.detachNewThread {
                    let result = LoopbackHTTP.get(port: port, path: path, timeout: timeout)
                    pending.withLock { $0.take() }?.resume(returning: result?.status == 200 ? result?.body : nil)
                }
            }
        } onCancel: {
            pending.withLock { $0.take() }?.resume(returning: nil)
        }
    }
}

/// The served name as a JSON string literal: engines escape `/` in ids as `\/` sometimes.
enum JSONEscaped {
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "/", with: "\\/") + "\""
    }
}
