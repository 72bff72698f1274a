import AIMCore
import ArgumentParser
import Foundation

/// Runs a command and maps every way it can end to a documented exit code:
/// usage errors exit 2 (as Click does for the reference), not ArgumentParser's 64,
/// and any other unexpected error exits 1.
@main
enum Entry {
    static func main() async {
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
            let code = AIMRuntimeCommand.exitCode(for: error)
            if code == .success {
                print(AIMRuntimeCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((AIMRuntimeCommand.fullMessage(for: error) + "\n").utf8))
            let status: ExitStatus = code == .validationFailure ? .configuration : .failure
            Foundation.exit(status.rawValue)
        }
    }
}
