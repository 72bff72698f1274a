import AIMCore
import OrderedCollections

/// One line between the aim-runtimes of a group: a compact JSON object. Lines are short and bounded
/// (`maxLineBytes`); anything else ends the connection. Public for the fuzz target that reads it as a stranger's.
public enum GroupMessage: Equatable, Sendable {
    /// A worker asks to join: its rank, the group size and the plan it will run, which must be the leader's.
    case join(rank: Int, size: Int, profile: String, model: String)
    /// The leader: every rank has joined, start the engines.
    case start
    /// The leader will not take this worker, and why.
    case refused(String, Refusal)
    /// Either side: still here.
    case beat
    /// Either side: this member is ending; `ok` when on purpose (asked to stop).
    case end(ok: Bool, reason: String)

    /// Why a worker is refused, which decides what it does next.
    public enum Refusal: String, Sendable {
        /// It plans another group, profile or model: a configuration error (exit 2).
        case mismatch
        /// The group started without it: the group has failed (exit 19).
        case started
    }

    static let version = 1
    /// The longest line either side reads or writes, without its newline.
    public static let maxLineBytes = 4096

    /// The message as one line, newline included, at most `maxLineBytes` before it: text that would make it
    /// longer (a reason quoting a stranger's non-ASCII join, each character written as `\uXXXX`) is shortened.
    public var line: String {
        var fields = self.fields
        while true {
            let line = JSONWriter.write(.mapping(fields))
            let longest = fields.max { ($0.value.stringValue?.count ?? 0) < ($1.value.stringValue?.count ?? 0) }
            guard line.utf8.count > Self.maxLineBytes, let longest, let text = longest.value.stringValue,
                text.count > 1
            else { return line + "\n" }
            fields[longest.key] = .string(String(text.prefix(text.count / 2)) + "…")
        }
    }

    private var fields: OrderedDictionary<String, StructuredValue> {
        var fields: OrderedDictionary<String, StructuredValue> = ["aim_group": .int(Self.version)]
        switch self {
        case .join(let rank, let size, let profile, let model):
            fields.merge([
                "type": .string("join"), "rank": .int(rank), "size": .int(size), "profile": .string(profile),
                "model": .string(model),
            ]) { $1 }
        case .start: fields["type"] = .string("start")
        case .refused(let reason, let kind):
            fields.merge(["type": .string("refused"), "reason": .string(reason), "kind": .string(kind.rawValue)]) { $1 }
        case .beat: fields["type"] = .string("beat")
        case .end(let ok, let reason):
            fields.merge(["type": .string("end"), "ok": .bool(ok), "reason": .string(reason)]) { $1 }
        }
        return fields
    }

    /// Parses one line (without its newline); nil for anything that is not a message of this version.
    public init?(line: String) {
        guard line.utf8.count <= Self.maxLineBytes, case .mapping(let fields)? = try? JSONParser.parse(line),
            fields["aim_group"] == .int(Self.version), let type = fields["type"]?.stringValue
        else { return nil }
        func text(_ key: String) -> String? {
            fields[key]?.stringValue.map { OneLineText.escape(String($0.prefix(512))) }
        }
        switch type {
        case "join":
            guard case .int(let rank)? = fields["rank"], case .int(let size)? = fields["size"],
                let profile = text("profile"), let model = text("model")
            else { return nil }
            self = .join(rank: rank, size: size, profile: profile, model: model)
        case "start": self = .start
        case "refused":
            let kind = fields["kind"]?.stringValue.flatMap(Refusal.init(rawValue:)) ?? .mismatch
            self = .refused(text("reason") ?? "no reason given", kind)
        case "beat": self = .beat
        case "end":
            guard case .bool(let ok)? = fields["ok"] else { return nil }
            self = .end(ok: ok, reason: text("reason") ?? "no reason given")
        default: return nil
        }
    }
}
