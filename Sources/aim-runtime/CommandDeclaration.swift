import AIMCommands
import ArgumentParser

/// A command line declared here and run by AIMCommands: the parsed arguments as a command value.
protocol CommandDeclaration: ParsableCommand {
    var command: any RuntimeCommand { get }
}
