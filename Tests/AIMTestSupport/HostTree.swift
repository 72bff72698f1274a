import Foundation

/// A fixture host tree for AIM_HOST_ROOT: a recorded GPU host's sysfs, and /dev, /proc files written here.
/// `healthy` is a host every check passes on; a test then breaks one thing.
public final class HostTree {
    public let directory: TemporaryDirectory
    public var root: String { directory.path }

    /// - Parameter machine: a recorded host under Tests/Fixtures/gpu (its sys/ is copied), or nil for none.
    public init(machine: String? = "mi300x-8") throws {
        directory = try TemporaryDirectory()
        if let machine {
            try FileManager.default.copyItem(atPath: gpuFixtures + "/" + machine + "/sys", toPath: root + "/sys")
        }
    }

    /// /dev/kfd and one render node per GPU, a 16 GiB /dev/shm, NUMA balancing off, iommu=pt.
    public static func healthy(machine: String = "mi300x-8", renderNodes: Int = 8) throws -> HostTree {
        let tree = try HostTree(machine: machine)
        try tree.write("/dev/kfd", "")
        for node in 0..<renderNodes {
            try tree.write("/dev/dri/renderD\(128 + node)", "")
        }
        try tree.write("/proc/self/mounts", mounts(shm: "16777216k"))
        try tree.write("/proc/sys/kernel/numa_balancing", "0\n")
        try tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro iommu=pt amd_iommu=on\n")
        return tree
    }

    public static func mounts(shm size: String) -> String {
        "overlay / overlay rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
            + "shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=\(size) 0 0\n"
    }

    public func path(_ absolute: String) -> String { root + absolute }

    public func write(_ absolute: String, _ text: String) throws {
        try directory.write(String(absolute.dropFirst()), text)
    }

    public func remove(_ absolute: String) throws {
        try FileManager.default.removeItem(atPath: path(absolute))
    }

    /// Gives the KFD topology's GPU nodes (those with a non-zero gfx_target_version) gpu_id files, 1000 + position.
    @discardableResult
    public func numberGPUNodes() throws -> [Int] {
        let base = "/sys/class/kfd/kfd/topology/nodes"
        let nodes = try FileManager.default.contentsOfDirectory(atPath: path(base)).compactMap(Int.init).sorted()
        var ids: [Int] = []
        for node in nodes {
            let properties = try String(contentsOfFile: path("\(base)/\(node)/properties"), encoding: .utf8)
            let isGPU = !properties.contains("gfx_target_version 0\n")
            let id = isGPU ? 1000 + ids.count : 0
            if isGPU { ids.append(id) }
            try write("\(base)/\(node)/gpu_id", "\(id)\n")
        }
        return ids
    }

    /// A process the KFD shows holding `bytes` of VRAM on the GPU with `gpuID`, named `name` in /proc.
    public func kfdProcess(pid: Int, name: String, gpuID: Int, bytes: UInt64) throws {
        try write("/sys/class/kfd/kfd/proc/\(pid)/vram_\(gpuID)", "\(bytes)\n")
        try write("/sys/class/kfd/kfd/proc/\(pid)/pasid", "32770\n")
        try write("/proc/\(pid)/comm", "\(name)\n")
    }
}
