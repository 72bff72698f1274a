/// Runs two operations side by side and returns the first one's result, cancelling the other:
/// "exit or grace period", "news or next poll".
public enum Race {
    public static func first<T: Sendable>(
        _ one: @escaping @Sendable () async -> T, _ other: @escaping @Sendable () async -> T
    ) async -> T {
        await withTaskGroup(of: T.self) { group in
            group.addTask(operation: one)
            group.addTask(operation: other)
            let winner = await group.next()!
            group.cancelAll()
            return winner
        }
    }
}
