import AIMCore
import AIMGPU

/// `kfd_access` and `render_access`: the engine opens /dev/kfd (compute) and a /dev/dri/renderD* node per GPU.
///
/// A missing or closed device fails only where the host shows AMD GPUs (a container started without
/// `--device`, the classic mistake: sysfs still shows the GPUs). On a host with no AMD GPU at all there is
/// nothing to pass through, so it is a warning: only a CPU build of the engine can run there.
enum DeviceAccessCheck {
    static let fix =
        "pass the devices and their groups: docker run --device=/dev/kfd --device=/dev/dri --group-add video "
        + "--group-add render; on Kubernetes request amd.com/gpu (AMD's device plugin); on a host add the user to "
        + "the video and render groups"

    static func kfd(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        let path = world.files.path("/dev/kfd")
        guard world.files.exists("/dev/kfd") else {
            return unusable(.kfdAccess, "\(path) does not exist", facts)
        }
        guard world.canReadWrite(path) else {
            let owner = world.files.ownership("/dev/kfd").map { " (\($0))" } ?? ""
            return unusable(.kfdAccess, "\(path) is not readable and writable by this process\(owner)", facts)
        }
        return HostCheck(.kfdAccess, .ok, "\(path) is readable and writable")
    }

    static func render(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        let directory = world.files.path("/dev/dri")
        let nodes = (world.files.list("/dev/dri") ?? []).filter { $0.hasPrefix("renderD") }
        guard !nodes.isEmpty else {
            return unusable(.renderAccess, "\(directory) has no renderD* node", facts)
        }
        let closed = nodes.filter { !world.canReadWrite(world.files.path("/dev/dri/" + $0)) }
        guard closed.isEmpty else {
            let owner = world.files.ownership("/dev/dri/" + closed[0]).map { " (\(closed[0]): \($0))" } ?? ""
            return unusable(
                .renderAccess,
                "\(closed.count) of \(nodes.count) render node(s) in \(directory) are not readable and writable by "
                    + "this process: \(closed.joined(separator: ", "))\(owner)", facts)
        }
        return HostCheck(
            .renderAccess, .ok,
            "\(nodes.count) render node(s) in \(directory) are readable and writable (\(nodes.joined(separator: ", ")))"
        )
    }

    private static func unusable(_ id: CheckID, _ finding: String, _ facts: LaunchFacts) -> HostCheck {
        if facts.hostHasGPUs, let report = facts.report {
            let source = report.source?.rawValue ?? "detection"
            return HostCheck(
                id, .fail,
                "\(finding), but \(source) shows \(report.detectedCount) AMD GPU(s) on this host: the engine cannot use them",
                fix: fix)
        }
        return HostCheck(
            id, .warn,
            "\(finding), and no AMD GPU was detected on this host: only a CPU build of the engine can run here",
            fix: fix)
    }
}
