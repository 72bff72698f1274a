import AIMCommands
import ArgumentParser

struct CacheArguments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, verify and remove cached models.",
        subcommands: [List.self, Verify.self, Remove.self])

    struct List: CommandDeclaration {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the models in AIM_CACHE_PATH.")
        @OptionGroup var settings: SettingsOptions

        var command: any RuntimeCommand {
            CacheListCommand(overrides: settings.overrides)
        }
    }

    struct Verify: CommandDeclaration {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Check every cached file's size and hash; remove what is corrupt so it is fetched again. Exit 6 if anything was."
        )
        @Argument(help: "A model (org/name, hf://…, s3://…); all models when omitted.") var reference: String?
        @OptionGroup var settings: SettingsOptions

        var command: any RuntimeCommand {
            CacheVerifyCommand(reference: reference, overrides: settings.overrides)
        }
    }

    struct Remove: CommandDeclaration {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a model from the cache.")
        @Argument(help: "The model to remove (org/name, hf://…, s3://… or its directory name).") var reference: String
        @OptionGroup var settings: SettingsOptions

        var command: any RuntimeCommand {
            CacheRemoveCommand(reference: reference, overrides: settings.overrides)
        }
    }
}
