import AIMCommands
import AIMConfiguration
import AIMCore
import AIMModelStore
import AIMTestSupport
import Foundation
import Synchronization

/// Text a command wrote, kept for a test to read.
final class CapturedText: Sendable {
    private let text = Mutex("")

    var sink: TextSink {
        TextSink { [self] written in text.withLock { $0 += written } }
    }

    var value: String { text.withLock { $0 } }
}

/// Runs commands in-process, through AIMCommands, with a fake environment and captured output:
/// milliseconds a command, and no binary.
struct CommandHarness {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    var environment: [String: String]

    init(environment: [String: String] = [:]) {
        // No PATH tools and no HOME of the user's: what a test does not set does not exist.
        self.environment = ["PATH": "/nonexistent", "HOME": NSTemporaryDirectory()].merging(environment) { $1 }
    }

    func run(_ command: any RuntimeCommand) async -> Outcome {
        let stdout = CapturedText()
        let stderr = CapturedText()
        let context = CommandContext(
            environment: environment, standardOutput: stdout.sink, standardError: stderr.sink,
            bundledProfileRoot: CLI.packageRoot + "/profiles")
        let status = await CommandRunner.run(command, in: context)
        return Outcome(status: status, stdout: stdout.value, stderr: stderr.value)
    }
}
