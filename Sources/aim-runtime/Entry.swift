import AIMCore
import AIMReports
import AIMSupervisor
import ArgumentParser
import Dispatch
import Foundation

/// Runs a command and maps every way it can end to a documented exit code and at most one
/// `error:` line: usage errors exit 2 (as Click does for the reference), not ArgumentParser's 64.
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
        let finished = DispatchSemaphore(value: 0)
        // Detached: `main` is on the main actor, whose thread waits below.
        Task.detached {
            await run()
            finished.signal()
        }
        finished.wait()
        Foundation.exit(0)
    }

    private static func run() async {
        do {
            var command = try AIMRuntimeCommand.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            Foundation.exit(end(with: error))
        }
    }

    private static func end(with error: any Error) -> Int32 {
        switch AIMRuntimeCommand.exitCode(for: error) {
        case .success:  // --help and --version
            print(AIMRuntimeCommand.fullMessage(for: error))
            return 0
        case .validationFailure:
            let message = AIMRuntimeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            let usage = AIMError(.configuration, "\(message); see 'aim-runtime --help'")
            FileHandle.standardError.write(Data(ErrorReport.line(usage).utf8))
            return usage.status.rawValue
        default:
            let failure = ErrorReport.classify(error)
            FileHandle.standardError.write(Data(ErrorReport.line(failure).utf8))
            return failure.status.rawValue
        }
    }
}
