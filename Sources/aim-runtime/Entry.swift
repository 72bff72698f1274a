import AIMCommands
import AIMCore
import ArgumentParser
import Foundation

/// Parses the command line and hands the command to AIMCommands, which runs it to its exit status.
/// Usage errors exit 2 (as Click does for the reference), not ArgumentParser's 64, through the same
/// `CommandRunner.end` as every other failure.
@main
enum Entry {
    static func main() async {
        let context = CommandContext.live()
        let parsed: any ParsableCommand
        do {
            parsed = try AIMRuntimeCommand.parseAsRoot()
        } catch {
            exit(endParsing(error, context))
        }
        guard let declaration = parsed as? CommandDeclaration else {
            // A command group named without a subcommand (`cache`): ArgumentParser shows its help.
            var group = parsed
            do { try group.run() } catch { exit(endParsing(error, context)) }
            exit(0)
        }
        exit(await CommandRunner.run(declaration.command, in: context))
    }

    private static func endParsing(_ error: any Error, _ context: CommandContext) -> Int32 {
        switch AIMRuntimeCommand.exitCode(for: error) {
        case .success:  // --help and --version
            context.standardOutput.writeLine(AIMRuntimeCommand.fullMessage(for: error))
            return 0
        case .validationFailure:
            let message = AIMRuntimeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            return CommandRunner.end(with: AIMError(.configuration, "\(message); see 'aim-runtime --help'"), in: context)
        default:
            return CommandRunner.end(with: error, in: context)
        }
    }
}
