import AIMCore
import AIMReports
import Logging

/// Runs commands to their exit status. Every way a command can fail ends in `end(with:)`: the error is
/// classified once (`ErrorReport.classify`), printed as one `error:` line, and its documented code returned.
public enum CommandRunner {
    public static func run(_ command: any RuntimeCommand, in context: CommandContext) async -> Int32 {
        do {
            return try await command.run(context)
        } catch {
            return end(with: error, in: context, failureOutput: command.failureOutput)
        }
    }

    /// The end of a failed command, or of a command line that could not be parsed.
    public static func end(
        with error: any Error, in context: CommandContext, failureOutput: (AIMError) -> String? = { _ in nil }
    ) -> Int32 {
        let failure = ErrorReport.classify(error)
        if let cause = failure.cause {
            // The lower error may hold URLs or secrets: only a debug log shows it, never the error line.
            Logger(label: "aim_runtime.errors").debug("\(failure.message): caused by \(String(describing: cause))")
        }
        if let text = failureOutput(failure) {
            context.standardOutput.write(text)
        }
        context.standardError.write(ErrorReport.line(failure))
        return failure.status.rawValue
    }
}
