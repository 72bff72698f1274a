import AIMConfiguration
import AIMCore
import AIMModelStore

/// `cache verify`: every cached file's size and hash; what is corrupt is removed, and the exit is 6.
public struct CacheVerifyCommand: RuntimeCommand {
    /// A model (org/name, hf://…, s3://…); nil means all of them.
    public var reference: String?
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(reference: String? = nil, overrides: [ConfigVariable: String] = [:]) {
        self.reference = reference
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let inventory = try CacheInventory.open(context, overrides: overrides)
        var problems = 0
        var first: CacheInventory.Problem?
        for entry in try inventory.entries(reference) {
            let found = try inventory.verify(entry)
            problems += found.count
            first = first ?? found.first
            context.standardOutput.writeLine(
                found.isEmpty ? "ok       \(entry.reference) (\(entry.fileCount) files)" : "corrupt  \(entry.reference)"
            )
            for problem in found { context.standardOutput.writeLine("  \(problem.path): \(problem.reason)") }
        }
        if problems > 0, let first {
            throw AIMError(
                .modelFetchFailed,
                "\(problems) cached file(s) were corrupt or partial and have been removed (first: \(OneLineText.quoted(first.path, limit: 300)): \(first.reason)); download the model again"
            )
        }
        return ExitStatus.success.rawValue
    }
}
