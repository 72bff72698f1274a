import AIMConfiguration
import AIMCore

/// `receipt`: prints the launch receipt the last `serve` wrote next to its status file.
public struct ReceiptCommand: RuntimeCommand {
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(overrides: [ConfigVariable: String] = [:]) {
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stages = try Stages(context, overrides: overrides, requireModel: false)
        let path = LaunchReceiptFile.path(statusPath: stages.configuration.statusPath)
        let data: [UInt8]
        do {
            data = Array(try BoundedFile.read(path, limit: LaunchReceiptFile.sizeLimit))
        } catch .missing {
            throw AIMError(
                .failure,
                "no launch receipt at \(OneLineText.quoted(path)): serve writes one when it starts the engine; "
                    + "set AIM_STATUS_PATH to the status file that serve used")
        } catch {
            throw AIMError(.failure, "the launch receipt \(OneLineText.quoted(path)) \(error)")
        }
        // Only a receipt is printed: anything else at that path is named, not echoed.
        guard let text = String(validating: data, as: UTF8.self),
            let document = try? JSONParser.parse(text), document[key: "aim_runtime"] != nil,
            document[key: "command"] != nil
        else {
            throw AIMError(
                .failure, "\(OneLineText.quoted(path)) is not a launch receipt; serve rewrites it at its next start")
        }
        context.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
        return ExitStatus.success.rawValue
    }
}
