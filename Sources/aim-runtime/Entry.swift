import AIMCommands
import AIMCore
import AIMSupervisor
import ArgumentParser
import Dispatch
import Foundation

/// Parses the command line and hands the command to AIMCommands, which runs it to its exit status.
/// Usage errors exit 2 (as Click does for the reference), not ArgumentParser's 64, through the same
/// `CommandRunner.end` as every other failure.
///
/// `main` is synchronous so that its first steps run before any other thread exists: the engine
/// trampoline, and taking over the stop signals (every later thread inherits their block).
@main
enum Entry {
    static func main() {
        if EngineTrampoline.isRequested(CommandLine.arguments) { EngineTrampoline.run(CommandLine.arguments) }
        LauncherSignals.takeOver()
        // Not dispatchMain(): it parks the main thread in sigsuspend with an empty mask, where a stop
        // signal would take its default action. Parked here, the main thread keeps the signals blocked.
        // Detached: `main` is on the main actor, whose thread waits below.
        Task.detached { exit(await run()) }
        DispatchSemaphore(value: 0).wait()
    }

    private static func run() async -> Int32 {
        let context = CommandContext.live(
            build: BuildIdentity(version: RuntimeVersion.number, commit: BuildInfo.commit))
        let parsed: any ParsableCommand
        do {
            parsed = try AIMRuntimeCommand.parseAsRoot()
        } catch {
            return endParsing(error, context)
        }
        guard let declaration = parsed as? CommandDeclaration else {
            // A command group named without a subcommand (`cache`): ArgumentParser shows its help.
            var group = parsed
            do { try group.run() } catch { return endParsing(error, context) }
            return 0
        }
        return await CommandRunner.run(declaration.command, in: context)
    }

    private static func endParsing(_ error: any Error, _ context: CommandContext) -> Int32 {
        switch AIMRuntimeCommand.exitCode(for: error) {
        case .success:  // --help and --version
            context.standardOutput.writeLine(AIMRuntimeCommand.fullMessage(for: error))
            return 0
        case .validationFailure:
            let message =
                AIMRuntimeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            return CommandRunner.end(
                with: AIMError(.configuration, "\(message); see 'aim-runtime --help'"), in: context)
        default:
            return CommandRunner.end(with: error, in: context)
        }
    }
}
