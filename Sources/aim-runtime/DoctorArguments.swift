import AIMCommands
import AIMReports
import ArgumentParser

struct DoctorArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Check this host for what the engine needs: devices, /dev/shm, kernel settings, VRAM, limits, disk, port, token, engine.",
        discussion: "One row per check: ok, warn or fail, what was found, and the fix. The checks, their rules and "
            + "the JSON (a stable contract) are in docs/doctor.md. /proc, /sys and /dev are read under "
            + "AIM_HOST_ROOT. The selected profile (as serve would choose it) sets how many GPUs, how much "
            + "/dev/shm and which engine; without one those checks warn. Exits 16 when a check fails, 0 otherwise "
            + "(warnings allowed).\n\n" + EnvironmentHelp.section())

    @Option(help: "Output format: table or json.") var format: DoctorReportView.Format = .table
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        DoctorCommand(format: format, overrides: settings.overrides.merging(identity.overrides) { $1 })
    }
}
