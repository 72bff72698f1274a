import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Why a connection to a Hub or S3 endpoint could not be made, in words a user can act on.
///
/// AsyncHTTPClient reports these as NIO errors: an IP address that refuses gives an `IOError`, a host
/// name goes through Happy Eyeballs and gives a `NIOConnectionError` holding the DNS results and one
/// failure per address tried.
enum ConnectionFailureCause {
    static let advice = "; check the endpoint (HF_ENDPOINT, AWS_ENDPOINT_URL_S3), proxies and the network"

    /// The message for a connection failure, or nil when `error` is not one.
    static func message(for error: Error) -> String? {
        switch error {
        case let io as IOError:
            return "the connection failed: \(String(cString: strerror(io.errnoCode)))" + advice
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first { return message(for: first.error) }
            return "the host name \(connection.host) could not be resolved" + advice
        case is SocketAddressError:
            return "the server's host name could not be resolved" + advice
        case let http as HTTPClientError where http == .connectTimeout:
            return "the connection timed out" + advice
        default:
            return nil
        }
    }
}
