import AIMCore
import Foundation

/// What one process is doing, from `/proc/PID/stat` and `/proc/PID/wchan`: for a start that has gone
/// silent, whether the engine computes (R), waits for something (S, with the kernel function it sleeps
/// in), or is stuck in the kernel (D, most often the GPU driver or a slow disk).
public struct ProcessActivity: Equatable, Sendable {
    public var pid: pid_t
    /// The command name (`comm`), escaped for one log line.
    public var name: String
    public var state: Character
    /// The kernel function the process sleeps in; nil when it runs or the kernel does not say.
    public var waitChannel: String?

    public init(pid: pid_t, name: String, state: Character, waitChannel: String?) {
        self.pid = pid
        self.name = name
        self.state = state
        self.waitChannel = waitChannel
    }

    /// At most this many processes are listed: an engine has a dozen, not thousands.
    static let listLimit = 64

    /// Every process whose process group is `group` (the engine leads its own), by pid, read under `root`
    /// (a fixture tree in tests).
    public static func read(group: pid_t, root: String = "/proc") -> [ProcessActivity] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let found = names.compactMap { name -> ProcessActivity? in
            guard let pid = pid_t(name), pid > 0,
                let stat = BoundedFile.text("\(root)/\(name)/stat", limit: 4096),
                let parsed = parseStat(stat), parsed.group == group
            else { return nil }
            return ProcessActivity(
                pid: pid, name: OneLineText.escape(parsed.name), state: parsed.state,
                waitChannel: waitChannel(BoundedFile.text("\(root)/\(name)/wchan", limit: 256)))
        }
        return Array(found.sorted { $0.pid < $1.pid }.prefix(listLimit))
    }

    /// `PID (COMM) STATE PPID PGRP …`; COMM may itself hold spaces and parentheses, so it ends at the last `)`.
    static func parseStat(_ text: String) -> (name: String, state: Character, group: pid_t)? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 3, fields[0].count == 1, let state = fields[0].first, let group = pid_t(fields[2]),
            group > 0
        else { return nil }
        return (String(text[text.index(after: open)..<close]), state, group)
    }

    /// A kernel symbol, or nil for "0" (not waiting), an empty file, or text that is no symbol.
    static func waitChannel(_ text: String?) -> String? {
        guard let symbol = text?.trimmingCharacters(in: .whitespacesAndNewlines), !symbol.isEmpty, symbol != "0",
            symbol.count <= 128,
            symbol.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" || $0 == "." || $0 == "$"
            })
        else { return nil }
        return symbol
    }

    /// The state in words (proc(5)).
    public var stateDescription: String {
        switch state {
        case "R": return "running"
        case "S": return "sleeping"
        case "D": return "waiting in the kernel, uninterruptibly"
        case "Z": return "a zombie"
        case "T": return "stopped"
        case "t": return "stopped by a debugger"
        case "I": return "idle"
        case "X", "x": return "dead"
        default: return "state \(OneLineText.escape(String(state)))"
        }
    }

    /// One line for the log: `pid 42 (python3): sleeping (S) in do_epoll_wait`.
    public var summary: String {
        "pid \(pid) (\(name)): \(stateDescription) (\(OneLineText.escape(String(state))))"
            + (waitChannel.map { " in \($0)" } ?? "")
    }
}
