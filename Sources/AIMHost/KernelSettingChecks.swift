import AIMCore
import Foundation

/// `numa_balancing` and `iommu_pt`: two host kernel settings AMD's MI300X tuning guide asks for. Neither
/// stops an engine, so both only warn; both are set on the host, not in a container.
enum KernelSettingChecks {
    static func numaBalancing(_ world: HostWorld) -> HostCheck {
        let path = world.files.path("/proc/sys/kernel/numa_balancing")
        let fix =
            "on the host: sysctl -w kernel.numa_balancing=0 (and kernel.numa_balancing=0 in /etc/sysctl.d/ to keep it)"
        guard world.files.exists("/proc/sys/kernel/numa_balancing") else {
            return HostCheck(.numaBalancing, .ok, "\(path) does not exist: this kernel has no automatic NUMA balancing")
        }
        guard let text = world.files.text("/proc/sys/kernel/numa_balancing") else {
            return HostCheck(.numaBalancing, .warn, "\(path) cannot be read", fix: fix)
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value == "0" else {
            return HostCheck(
                .numaBalancing, .warn,
                "automatic NUMA balancing is on (\(path) is \(OneLineText.quoted(value, limit: 20))): its page "
                    + "migrations stall GPU work at random",
                fix: fix)
        }
        return HostCheck(.numaBalancing, .ok, "automatic NUMA balancing is off")
    }

    static func iommuPassThrough(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        let fix =
            "on the host: add iommu=pt to the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub), then update-grub and reboot"
        guard let gpuCount = facts.gpuCount else {
            return HostCheck(
                .iommuPT, .warn, "\(facts.noProfile): cannot tell how many GPUs the engine uses",
                fix: "select a profile (AIM_ID or AIM_MODEL_ID, AIM_GPU_MODEL)")
        }
        guard gpuCount > 1 else {
            return HostCheck(
                .iommuPT, .ok, "the profile uses \(gpuCount) GPU: no GPU-to-GPU traffic to pass through the IOMMU")
        }
        let path = world.files.path("/proc/cmdline")
        guard let cmdline = world.files.text("/proc/cmdline") else {
            return HostCheck(.iommuPT, .warn, "\(path) cannot be read; the profile uses \(gpuCount) GPUs", fix: fix)
        }
        let words = cmdline.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        if words.contains("iommu=pt") || words.contains("amd_iommu=off") || words.contains("iommu=off") {
            return HostCheck(.iommuPT, .ok, "the kernel command line sets the IOMMU to pass-through (or off)")
        }
        return HostCheck(
            .iommuPT, .warn,
            "the profile uses \(gpuCount) GPUs and the kernel command line (\(path)) has no iommu=pt: GPU-to-GPU "
                + "transfers are translated by the IOMMU, which slows them and can hang RCCL",
            fix: fix)
    }
}
