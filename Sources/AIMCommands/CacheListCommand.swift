import AIMConfiguration
import AIMCore
import AIMModelStore

/// `cache list`: the models in AIM_CACHE_PATH.
public struct CacheListCommand: RuntimeCommand {
    /// Flag values, keyed by the variable each beats.
    public var overrides: [ConfigVariable: String]

    public init(overrides: [ConfigVariable: String] = [:]) {
        self.overrides = overrides
    }

    public func run(_ context: CommandContext) async throws -> Int32 {
        let inventory = try CacheInventory.open(context, overrides: overrides)
        let entries = inventory.list()
        if entries.isEmpty { context.standardOutput.writeLine("No models in \(inventory.cacheRoot).") }
        for entry in entries {
            let refs = entry.refs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(12))" }.joined(
                separator: " ")
            context.standardOutput.writeLine(
                "\(entry.reference)  \(entry.layout.rawValue)  \(entry.fileCount) files  \(ByteCount.text(entry.bytes))  \(entry.path)"
                    + (refs.isEmpty ? "" : "  " + refs))
        }
        return ExitStatus.success.rawValue
    }
}
