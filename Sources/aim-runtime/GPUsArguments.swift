import AIMCommands
import AIMConfiguration
import AIMReports
import ArgumentParser

struct GPUsArguments: CommandDeclaration {
    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Detect the AMD GPUs and report what selection will use.",
        discussion: "Sources, in order of trust: the ROCm SMI library, rocm-smi, amd-smi, then the KFD topology in "
            + "sysfs; AIM_GPU_SOURCE picks one. ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES "
            + "(if HIP's is unset) filter the GPUs as ROCm does. The JSON is a stable contract (docs/gpus-json.md). "
            + "Exits 5 when no GPU is found.\n\n"
            + EnvironmentHelp.section([.gpuSource, .sysfsPath, .gpuDetectTimeout, .logLevel, .logFormat]))

    @Option(help: "Output format: table or json.") var format: GPUReportView.Format = .table
    @OptionGroup var settings: SettingsOptions

    var command: any RuntimeCommand {
        GPUsCommand(format: format, overrides: settings.overrides)
    }
}
