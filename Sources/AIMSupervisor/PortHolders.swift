import AIMCore
import Foundation

/// Which processes listen on a TCP port, from /proc: `/proc/net/tcp{,6}` give the listening
/// sockets' inodes, `/proc/PID/fd` links (`socket:[INODE]`) their owners. Only processes
/// this user may inspect are found; the scan is bounded in size and time.
public enum PortHolders {
    /// The listening sockets' inodes for `port` in one `/proc/net/tcp` or `tcp6` table.
    public static func listeningInodes(port: Int, table: String) -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl, local address:port, remote, state (0A = LISTEN), queues, timer, retransmits, uid, timeout, inode
            guard fields.count > 9, fields[3] == "0A",
                let portText = fields[1].split(separator: ":").last, Int(portText, radix: 16) == port,
                let inode = UInt64(fields[9]), inode > 0
            else { continue }
            inodes.insert(inode)
        }
        return inodes
    }

    /// The processes that hold a socket listening on `port`, found within `budget` seconds.
    public static func find(port: Int, proc: String = "/proc", budget: Double = 1) -> [ProcessTable.Entry] {
        let inodes = listening(port: port, proc: proc)
        guard !inodes.isEmpty else { return [] }
        let table = ProcessTable.read(root: proc)
        return holders(of: inodes, among: table.entries.values.sorted { $0.pid < $1.pid }, proc: proc, budget: budget)
    }

    /// Who listens on `port` when it is not a process below `root` (the engine's tree): empty
    /// when the tree holds the port, or when /proc cannot tell.
    public static func strangers(
        port: Int, root: pid_t, proc: String = "/proc", budget: Double = 1
    ) -> [ProcessTable.Entry] {
        let inodes = listening(port: port, proc: proc)
        guard !inodes.isEmpty, ProcessTable.showsOwnNamespace(root: proc) else { return [] }
        let table = ProcessTable.read(root: proc)
        let tree = table.descendants(of: root)
        // The engine's few processes first: the usual answer, found in a millisecond.
        guard holders(of: inodes, among: tree, proc: proc, budget: budget).isEmpty else { return [] }
        let ours = Set(tree.map(\.pid) + [root])
        return holders(
            of: inodes, among: table.entries.values.filter { !ours.contains($0.pid) }.sorted { $0.pid < $1.pid },
            proc: proc, budget: budget)
    }

    private static func listening(port: Int, proc: String) -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for table in ["net/tcp", "net/tcp6"] {
            guard let bytes = BoundedFile.contents(proc + "/" + table, limit: 32 << 20) else { continue }
            inodes.formUnion(listeningInodes(port: port, table: String(decoding: bytes, as: UTF8.self)))
        }
        return inodes
    }

    private static func holders(
        of inodes: Set<UInt64>, among entries: [ProcessTable.Entry], proc: String, budget: Double
    ) -> [ProcessTable.Entry] {
        let targets = Set(inodes.map { "socket:[\($0)]" })
        let deadline = Date().addingTimeInterval(budget)
        var found: [ProcessTable.Entry] = []
        for entry in entries where Date() < deadline {
            let directory = "\(proc)/\(entry.pid)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            if descriptors.contains(where: { link(directory + "/" + $0).map(targets.contains) ?? false }) {
                found.append(entry)
            }
        }
        return found
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
