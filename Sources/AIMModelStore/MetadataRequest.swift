import AsyncHTTPClient
import NIOCore

/// Listing and HEAD requests: small answers that must arrive whole, head and body, within a total
/// deadline. The stall limit only sees silence; a server that trickles a byte a second is caught here.
struct MetadataRequest: Sendable {
    /// Seconds for one metadata request, body included; a retry gets as long again.
    static let deadlineSeconds: Int64 = 30

    let http: HTTPClient
    /// The variable that chose the server (`HF_ENDPOINT`), named when it cannot be reached.
    let setting: String

    /// Sends the request; the answer's body must then be read with `body(of:…)` before the same deadline.
    func send(_ request: HTTPClientRequest) async throws -> (response: HTTPClientResponse, deadline: NIODeadline) {
        let deadline = NIODeadline.now() + .seconds(Self.deadlineSeconds)
        do {
            return (try await http.execute(request, deadline: deadline), deadline)
        } catch {
            throw ConnectionFailureCause(url: request.url, setting: setting).failure(for: error)
        }
    }

    /// The whole body, at most `limit` bytes, by the deadline; `what` names the answer in messages.
    /// A body that trickles is caught at its next piece; one that falls silent, when the deadline's timer fires.
    func body(
        of response: HTTPClientResponse, url: String, deadline: NIODeadline, limit: Int, what: String
    ) async throws -> String {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try await collect(response, url: url, deadline: deadline, limit: limit, what: what) }
            group.addTask {
                let left = (deadline - NIODeadline.now()).nanoseconds
                try await Task.sleep(nanoseconds: UInt64(max(left, 0)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let text = first else { throw Self.overDeadline(what) }
            return text
        }
    }

    private func collect(
        _ response: HTTPClientResponse, url: String, deadline: NIODeadline, limit: Int, what: String
    ) async throws -> String {
        var collected = ByteBuffer()
        do {
            for try await buffer in response.body {
                guard buffer.readableBytes <= limit - collected.readableBytes else {
                    throw TransferFailure(.permanent, "\(what) is larger than \(limit >> 20) MiB; check \(setting)")
                }
                guard NIODeadline.now() <= deadline else { throw Self.overDeadline(what) }
                var piece = buffer
                collected.writeBuffer(&piece)
            }
        } catch let failure as TransferFailure {
            throw failure
        } catch let http as HTTPClientError where http == .deadlineExceeded {
            throw Self.overDeadline(what)
        } catch {
            throw ConnectionFailureCause(url: url, setting: setting).failure(for: error)
        }
        return collected.readString(length: collected.readableBytes) ?? ""
    }

    static func overDeadline(_ what: String) -> TransferFailure {
        TransferFailure(
            .overDeadline,
            "\(what) did not arrive whole within \(deadlineSeconds) s; the server is too slow or never ends its answer")
    }
}
