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

    /// Adds the rank; an older connection of the same rank (a restarted pod's, perhaps half-open) is closed.
    func add(_ rank: Int, channel: any Channel, writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        let older = peers.withLock { peers in
            defer { peers[rank] = Peer(channel: channel, writer: writer) }
            return peers[rank]?.channel
        }
        older?.close(promise: nil)
    }

    /// Removes the rank if this channel still holds it; false when a newer connection took its place.
    func remove(_ rank: Int, channel: any Channel) -> Bool {
        peers.withLock { peers in
            guard let peer = peers[rank], peer.channel === channel else { return false }
            peers.removeValue(forKey: rank)
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

    /// One heartbeat interval passed: the ranks that sent nothing for more than `limit` whole intervals (a
    /// count of 1 right after a tick is normal: the peer's beat falls between two ticks).
    func tick(limit: Int) -> [Int] {
        peers.withLock { peers in
            for rank in peers.keys { peers[rank]?.silentTicks += 1 }
            return peers.filter { $0.value.silentTicks > limit }.keys.sorted()
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
