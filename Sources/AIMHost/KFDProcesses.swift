import Foundation

/// The processes holding VRAM, from the KFD's own accounting: `/sys/class/kfd/kfd/proc/<pid>/vram_<gpu_id>`
/// (bytes, what `rocm-smi --showpids` shows), with `gpu_id` matched to the GPU's position among the
/// topology's GPU nodes (`/sys/class/kfd/kfd/topology/nodes/*/gpu_id`, non-zero for a GPU).
struct KFDProcesses {
    struct Holder: Equatable {
        let pid: Int32
        let name: String
        /// GPU position → bytes held there.
        let bytes: [Int: UInt64]
    }

    /// Holders of more than nothing on any GPU, by pid; empty where the KFD shows none (or no KFD).
    static func holders(_ files: HostFiles, ownPID: Int32) -> [Holder] {
        let positions = gpuPositions(files)
        var holders: [Holder] = []
        for entry in files.list("/sys/class/kfd/kfd/proc") ?? [] {
            guard let pid = Int32(entry), pid > 0, pid != ownPID else { continue }
            var bytes: [Int: UInt64] = [:]
            for file in files.list("/sys/class/kfd/kfd/proc/\(entry)") ?? [] where file.hasPrefix("vram_") {
                guard let gpuID = UInt64(file.dropFirst(5)),
                    let text = files.text("/sys/class/kfd/kfd/proc/\(entry)/\(file)"),
                    let used = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)), used > 0
                else { continue }
                bytes[positions[gpuID] ?? -1, default: 0] &+= used
            }
            guard !bytes.isEmpty else { continue }
            holders.append(Holder(pid: pid, name: name(files, pid: pid), bytes: bytes))
        }
        return holders.sorted { $0.pid < $1.pid }
    }

    /// gpu_id → position among the GPU nodes in node order, as detection numbers them.
    static func gpuPositions(_ files: HostFiles) -> [UInt64: Int] {
        let base = "/sys/class/kfd/kfd/topology/nodes"
        let nodes = (files.list(base) ?? []).compactMap(Int.init).sorted()
        var positions: [UInt64: Int] = [:]
        for node in nodes {
            guard let text = files.text("\(base)/\(node)/gpu_id"),
                let gpuID = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)), gpuID != 0
            else { continue }
            positions[gpuID] = positions.count
        }
        return positions
    }

    /// The process's name from /proc, one line and short, or `?` when it has gone or is hidden.
    static func name(_ files: HostFiles, pid: Int32) -> String {
        guard let text = files.text("/proc/\(pid)/comm") else { return "?" }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let printable = line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }
        return printable.isEmpty ? "?" : String(String.UnicodeScalarView(printable.prefix(32)))
    }
}
