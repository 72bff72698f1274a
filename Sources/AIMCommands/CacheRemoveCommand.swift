import AIMConfiguration
import AIMCore
import AIMModelStore

/// `cache rm`: a model out of the cache.
public struct CacheRemoveCommand: RuntimeCommand {
    /// The model (org/name, hf://…, s3://… or its directory name).
    public var reference: String
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(reference: String, overrides: [ConfigVariable: String] = [:]) {
        self.reference = reference
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let inventory = try CacheInventory.open(context, overrides: overrides)
        for entry in try inventory.entries(reference) {
            try inventory.remove(entry)
            context.standardOutput.writeLine("removed  \(entry.path)")
        }
        return ExitStatus.success.rawValue
    }
}
