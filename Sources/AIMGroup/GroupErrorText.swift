import AIMCore
import Foundation
import NIOCore
import NIOPosix

/// Plain words for the network errors of the group's connections (never NIO's type names).
enum GroupErrorText {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as IOError: return String(cString: strerror(error.errnoCode))
        case let error as NIOConnectionError:
            if let last = error.connectionErrors.last { return describe(last.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil
                ? "the name does not resolve" : "the connection failed"
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out connecting" }
            return "the connection closed"
        case is LineReader<NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator>.TooLong:
            return "a line longer than \(GroupMessage.maxLineBytes) bytes"
        default: return SystemErrorText.describe(error) ?? "a network error"
        }
    }
}
