import AIMConfiguration
import Foundation

/// The "environment variables" section of a command's `--help`.
public enum EnvironmentHelp {
    public static func section(_ variables: [ConfigVariable] = ConfigVariable.allCases) -> String {
        let width = variables.map(\.name.count).max() ?? 0
        let lines = variables.map { variable in
            variable.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + variable.summary + " Default: " + variable.defaultDescription + "."
        }
        return "ENVIRONMENT VARIABLES (a flag beats its variable):\n" + lines.joined(separator: "\n")
            + "\n\nExit codes: 0 ok, 1 internal error, 2 bad configuration, 3 no compatible profile, 4 invalid profile, 5 no GPU, 6-11 model fetch problems, 12-15 engine problems, 16 a failed host check (docs/exit-codes.md)."
    }
}
