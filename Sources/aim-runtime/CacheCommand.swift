import AIMCore
import AIMModelStore
import ArgumentParser
import Foundation

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, verify and remove cached models.",
        subcommands: [List.self, Verify.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the models in AIM_CACHE_PATH.")
        @OptionGroup var settings: SettingsOptions

        func run() throws {
            try Failure.reporting {
                let context = try CommandContext(settings: settings, requireModel: false)
                try CacheRoot.checkReadable(context.configuration.cachePath)
                let entries = CacheInventory(cacheRoot: context.configuration.cachePath).list()
                if entries.isEmpty { print("No models in \(context.configuration.cachePath).") }
                for entry in entries {
                    let refs = entry.refs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(12))" }.joined(separator: " ")
                    print("\(entry.reference)  \(entry.layout.rawValue)  \(entry.fileCount) files  \(ByteCount.text(entry.bytes))  \(entry.path)\(refs.isEmpty ? "" : "  " + refs)")
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every cached file's size and hash; remove what is corrupt so it is fetched again. Exit 6 if anything was.")
        @Argument(help: "A model (org/name, hf://…, s3://…); all models when omitted.") var reference: String?
        @OptionGroup var settings: SettingsOptions

        func run() throws {
            try Failure.reporting {
                let context = try CommandContext(settings: settings, requireModel: false)
                try CacheRoot.checkReadable(context.configuration.cachePath)
                let inventory = CacheInventory(cacheRoot: context.configuration.cachePath)
                let entries = try CacheCommand.entries(reference, in: inventory)
                var problems = 0
                var first: CacheInventory.Problem?
                for entry in entries {
                    let found = try inventory.verify(entry)
                    problems += found.count
                    first = first ?? found.first
                    print(found.isEmpty ? "ok       \(entry.reference) (\(entry.fileCount) files)" : "corrupt  \(entry.reference)")
                    for problem in found { print("  \(problem.path): \(problem.reason)") }
                }
                if problems > 0, let first {
                    throw AIMError(.modelFetchFailed, "\(problems) cached file(s) were corrupt or partial and have been removed (first: \(OneLineText.quoted(first.path, limit: 300)): \(first.reason)); download the model again")
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a model from the cache.")
        @Argument(help: "The model to remove (org/name, hf://…, s3://… or its directory name).") var reference: String
        @OptionGroup var settings: SettingsOptions

        func run() throws {
            try Failure.reporting {
                let context = try CommandContext(settings: settings, requireModel: false)
                try CacheRoot.checkReadable(context.configuration.cachePath)
                let inventory = CacheInventory(cacheRoot: context.configuration.cachePath)
                for entry in try CacheCommand.entries(reference, in: inventory) {
                    try inventory.remove(entry)
                    print("removed  \(entry.path)")
                }
            }
        }
    }

    static func entries(_ reference: String?, in inventory: CacheInventory) throws -> [CacheInventory.Entry] {
        guard let reference else { return inventory.list() }
        let entries = inventory.entries(matching: reference)
        if entries.isEmpty {
            throw AIMError(.modelNotFound, "'\(reference)' is not in the cache at \(inventory.cacheRoot); `aim-runtime cache list` shows what is")
        }
        return entries
    }
}
