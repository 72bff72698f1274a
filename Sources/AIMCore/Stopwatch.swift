/// Time elapsed on the injected clock since the stopwatch was made.
public struct Stopwatch: Sendable {
    public let elapsed: @Sendable () -> Duration

    public init(_ clock: any Clock<Duration>) {
        elapsed = Self.start(clock)
    }

    private static func start<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }
}
