/// A wait that ends at a limit: what the network is asked for a nicety (a size, a gate) never holds a
/// command up longer than that.
enum TimeLimit {
    /// `work`'s answer, or nil when it takes longer than `limit` (it is then cancelled).
    static func first<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable () async -> T?) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
