import AIMCore
import NIOCore
import NIOPosix

/// The leader's listening socket on AIM_GROUP_PORT, on every interface.
enum GroupListener {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    typealias Server = NIOAsyncChannel<Connection, Never>

    static func bind(port: Int) async throws -> Server {
        var lastError: (any Error)?
        // Both families where the kernel has IPv6, else IPv4 alone.
        for host in ["::", "0.0.0.0"] {
            do {
                return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try Connection(wrappingChannelSynchronously: channel)
                        }
                    }
            } catch {
                lastError = error
            }
        }
        throw AIMError.configuration(
            "cannot listen on AIM_GROUP_PORT=\(port) for the group's workers: \(lastError.map(GroupErrorText.describe) ?? "unknown error"); free the port or set AIM_GROUP_PORT to a free one on every node"
        )
    }

    static func connect(host: String, port: Int, timeout: Duration) async throws -> Connection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }
}
