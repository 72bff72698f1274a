import NIOCore
import Synchronization

/// The members this node talks to (the workers on the leader, the leader on a worker): where to write,
/// and how many heartbeat intervals each has been silent.
final class GroupPeers: Sendable {
    struct Peer: Sendable {
        let channel: any Channel
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var silentTicks = 0
    }

    private let peers = Mutex<[Int: Peer]>([:])

    init() {}

    var ranks: [Int] { peers.withLock { $0.keys.sorted() } }

    /// False when the rank is already here.
    func add(_ rank: Int, channel: any Channel, writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) -> Bool {
        peers.withLock { peers in
            guard peers[rank] == nil else { return false }
            peers[rank] = Peer(channel: channel, writer: writer)
            return true
        }
    }

    func remove(_ rank: Int) {
        peers.withLock { _ = $0.removeValue(forKey: rank) }
    }

    func heard(from rank: Int) {
        peers.withLock { $0[rank]?.silentTicks = 0 }
    }

    /// The silence counts from now (the start: a worker that joined early sent no beats while it waited).
    func heardFromAll() {
        peers.withLock { peers in
            for rank in peers.keys { peers[rank]?.silentTicks = 0 }
        }
    }

    /// One heartbeat interval passed: the ranks silent for `limit` intervals or more.
    func tick(limit: Int) -> [Int] {
        peers.withLock { peers in
            for rank in peers.keys { peers[rank]?.silentTicks += 1 }
            return peers.filter { $0.value.silentTicks >= limit }.keys.sorted()
        }
    }

    /// Writes to every peer; a peer that cannot be written to is gone, which its reader reports.
    func broadcast(_ message: GroupMessage) async {
        let writers = peers.withLock { $0.values.map(\.writer) }
        for writer in writers {
            try? await writer.write(ByteBuffer(string: message.line))
        }
    }

    func closeAll() {
        let channels = peers.withLock { $0.values.map(\.channel) }
        for channel in channels { channel.close(promise: nil) }
    }
}
