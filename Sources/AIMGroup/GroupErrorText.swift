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
            return error.connectionErrors.last.map { describe($0.error) } ?? "the connection failed"
        case is ChannelError: return "the connection closed"
        case is LineReader<NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator>.TooLong:
            return "a line longer than \(GroupMessage.maxLineBytes) bytes"
        default: return SystemErrorText.describe(error) ?? "a network error"
        }
    }
}
