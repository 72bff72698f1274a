import AIMCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Turns the HTTP stack's errors into a `TransferFailure` whose message a user can act on: the host,
/// what went wrong in words, and the variable that points there. No library type name reaches the user.
///
/// The HTTP client does not retry connection attempts itself (`retryConnectionEstablishment` is off),
/// so a refused or unresolvable host arrives here at once: it is permanent, as a wrong endpoint does
/// not heal by waiting. A connect timeout gets the retry policy's few `unreachable` attempts.
struct ConnectionFailureCause {
    /// The server the request went to (`https://huggingface.co/...`).
    let url: String
    /// The setting that chose the server, named in the advice (`HF_ENDPOINT`).
    let setting: String
    /// True for the first requests to a configured endpoint (listings, metadata), where a refusal means a
    /// wrong endpoint; false for file bytes, whose server already answered, so a refusal may pass.
    var refusalIsPermanent = true

    func failure(for error: Error) -> Error {
        if let failure = error as? TransferFailure { return failure }
        if error is CancellationError || error is AIMError { return error }
        let host = Self.hostAndPort(url)
        let advice = "; check \(setting), proxies and the network"
        switch error {
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first { return failure(for: first.error) }
            return TransferFailure(.permanent, "the host name of \(host) could not be resolved" + advice)
        case is SocketAddressError:
            return TransferFailure(.permanent, "the host name of \(host) could not be resolved" + advice)
        case let io as IOError:
            let reason = String(cString: strerror(io.errnoCode))
            let kind: TransferFailure.Kind =
                io.errnoCode == ECONNREFUSED && refusalIsPermanent ? .permanent : .unreachable
            return TransferFailure(kind, "cannot connect to \(host): \(reason.lowercased())" + advice)
        case let channel as ChannelError:
            if case .connectTimeout = channel {
                return TransferFailure(.unreachable, "connecting to \(host) timed out" + advice)
            }
            return TransferFailure(.transient(retryAfter: nil), "the connection to \(host) failed" + advice)
        case let http as HTTPClientError:
            return Self.failure(for: http, host: host, advice: advice)
        case is NIOTooManyBytesError:
            return TransferFailure(.permanent, "the answer from \(host) is larger than expected" + advice)
        default:
            let name = String(describing: type(of: error))
            if name.contains("SSL") || name.contains("TLS") {
                // A failed handshake (wrong scheme, bad certificate) rarely heals: the few attempts of an unreachable host.
                return TransferFailure(
                    .unreachable,
                    "the TLS handshake with \(host) failed; check that \(setting) has the right scheme (http or https)")
            }
            return TransferFailure(
                .transient(retryAfter: nil), "the request to \(host) failed (\(Self.oneLine(error)))")
        }
    }

    private static func failure(for error: HTTPClientError, host: String, advice: String) -> TransferFailure {
        switch error {
        case .readTimeout:
            return TransferFailure(
                .transient(retryAfter: nil),
                "the transfer from \(host) stalled: no bytes arrived within the stall limit (AIM_DOWNLOAD_STALL_SECONDS)"
            )
        case .connectTimeout, .getConnectionFromPoolTimeout:
            return TransferFailure(.unreachable, "connecting to \(host) timed out" + advice)
        case .deadlineExceeded:
            return TransferFailure(
                .overDeadline, "the answer from \(host) did not arrive within \(MetadataRequest.deadlineSeconds) s")
        case .remoteConnectionClosed:
            return TransferFailure(.transient(retryAfter: nil), "\(host) closed the connection")
        case .emptyScheme, .emptyHost, .invalidURL:
            return TransferFailure(.permanent, "the URL for \(host) is not a usable http or https URL" + advice)
        default:
            return TransferFailure(.transient(retryAfter: nil), "the request to \(host) failed (HTTP protocol error)")
        }
    }

    /// `host:port` of a URL, for messages; never the path or query (a signed URL's query is a credential).
    static func hostAndPort(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            return "the server"
        }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    /// Any other error as text on one line, bounded.
    private static func oneLine(_ error: Error) -> String {
        String(
            String(describing: error).unicodeScalars.map {
                $0.properties.generalCategory == .control ? " " : Character($0)
            }.prefix(160))
    }
}
