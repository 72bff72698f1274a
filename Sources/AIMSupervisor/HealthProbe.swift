import Foundation

/// Asks the engine on 127.0.0.1 whether it is up (`/health`) and serving the model (`/v1/models`).
struct HealthProbe: Sendable {
    let port: Int
    let servedModelName: String

    func healthy() async -> Bool {
        await answer("/health") != nil
    }

    /// `/health` answers and `/v1/models` lists the served model.
    func ready() async -> Bool {
        guard await healthy(), let body = await answer("/v1/models") else { return false }
        if servedModelName.isEmpty { return true }
        return body.contains("\"\(servedModelName)\"") || body.contains(JSONEscaped.quoted(servedModelName))
    }

    /// The body of a 200 answer, or nil; the blocking socket work runs off the cooperative pool.
    private func answer(_ path: String) async -> String? {
        let port = port
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let result = LoopbackHTTP.get(port: port, path: path, timeout: 5)
                continuation.resume(returning: result?.status == 200 ? result?.body : nil)
            }
        }
    }
}

/// The served name as a JSON string literal: engines escape `/` in ids as `\/` sometimes.
enum JSONEscaped {
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "/", with: "\\/") + "\""
    }
}
