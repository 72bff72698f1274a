import AIMCore

/// One `aim-runtime` command: its options, and what it does with a context.
///
/// The executable only builds these from its arguments; `CommandRunner` runs them and ends any failure.
public protocol RuntimeCommand: Sendable {
    /// Does the command's work. Returns the exit status when it ends by itself: 0, or a code the command
    /// decides (serve: the engine's own; health: 1 when not healthy). Failures are thrown, not printed.
    func run(_ context: CommandContext) async throws -> Int32

    /// What to print on stdout when the command fails, besides the `error:` line on stderr.
    func failureOutput(_ failure: AIMError) -> String?
}

extension RuntimeCommand {
    public func failureOutput(_ failure: AIMError) -> String? { nil }
}
