import AIMGroup

/// A line on the group port, as a stranger or a broken peer could send it.
enum GroupTargets {
    static func groupMessage(_ text: String) {
        guard let message = GroupMessage(line: text) else { return }
        written(message, "the reply to \(message)")
        // The leader's refusal quotes a join's profile and model: it must fit in one line too.
        if case .join(let rank, let size, let profile, let model) = message {
            written(.refused("rank \(rank) of \(size) chose profile \(profile) for \(model)", .mismatch), "a refusal")
        }
    }

    /// What is written is one line within the limit, and reads back as the same kind of message.
    private static func written(_ message: GroupMessage, _ what: String) {
        let line = message.line
        FuzzInvariant.check(line.utf8.count <= GroupMessage.maxLineBytes + 1, "\(what) is \(line.utf8.count) bytes")
        FuzzInvariant.check(line.hasSuffix("\n"), "\(what) has no newline")
        FuzzInvariant.oneLine(String(line.dropLast()), what)
        let again = GroupMessage(line: String(line.dropLast()))
        switch (message, again) {
        case (.join(let rank, let size, _, _), .join(let rank2, let size2, _, _)?):
            FuzzInvariant.check(rank == rank2 && size == size2, "\(what) changed its rank or size")
        case (.start, .start?), (.beat, .beat?): break
        case (.refused(_, let kind), .refused(_, let kind2)?):
            FuzzInvariant.check(kind == kind2, "\(what) changed its refusal kind")
        case (.end(let ok, _), .end(let ok2, _)?):
            FuzzInvariant.check(ok == ok2, "\(what) changed whether the end was orderly")
        default:
            FuzzInvariant.check(false, "\(what) reads back as \(String(describing: again))")
        }
    }
}
