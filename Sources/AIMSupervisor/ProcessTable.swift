import AIMCore
import Foundation

/// The processes /proc shows: pid, parent, state and name, for finding the launcher's
/// descendants and naming the holder of a port.
public struct ProcessTable: Sendable {
    public struct Entry: Equatable, Sendable {
        public var pid: pid_t
        public var parent: pid_t
        /// `R`, `S`, `D`, `Z` (a zombie waiting to be reaped)...
        public var state: Character
        public var name: String

        public init(pid: pid_t, parent: pid_t, state: Character, name: String) {
            self.pid = pid
            self.parent = parent
            self.state = state
            self.name = name
        }
    }

    public let entries: [pid_t: Entry]

    public init(entries: [Entry]) {
        self.entries = Dictionary(entries.map { ($0.pid, $0) }) { first, _ in first }
    }

    /// Reads every `/proc/PID/stat` under `root`.
    public static func read(root: String = "/proc") -> ProcessTable {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return ProcessTable(
            entries: names.compactMap { name in
                guard let pid = pid_t(name), pid > 0,
                    let stat = BoundedFile.contents("\(root)/\(name)/stat", limit: 4096)
                else { return nil }
                return parseStat(String(decoding: stat, as: UTF8.self), pid: pid)
            })
    }

    /// `PID (NAME) STATE PPID …`; the name may itself hold spaces and parentheses, so it
    /// ends at the last `)`.
    public static func parseStat(_ text: String, pid: pid_t) -> Entry? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 2, let state = fields[0].first, fields[0].count == 1, let parent = pid_t(fields[1]),
            parent >= 0
        else { return nil }
        return Entry(pid: pid, parent: parent, state: state, name: String(text[text.index(after: open)..<close]))
    }

    /// Every process below `root`, children before their own children.
    public func descendants(of root: pid_t) -> [Entry] {
        var children: [pid_t: [Entry]] = [:]
        for entry in entries.values where entry.pid != entry.parent {
            children[entry.parent, default: []].append(entry)
        }
        var found: [Entry] = []
        var seen: Set<pid_t> = [root]
        var queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where seen.insert(child.pid).inserted {
                found.append(child)
                queue.append(child.pid)
            }
        }
        return found
    }

    /// Whether `/proc` shows this process's own PID namespace: when it does not (a new
    /// namespace without its own /proc mount), its pids name other processes.
    public static func showsOwnNamespace(root: String = "/proc") -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/self")) == String(getpid())
    }
}
