import AIMCore
import AIMGPU

/// `vram_in_use`: VRAM already taken on the GPUs the launch will use, most often by an engine that outlived
/// its launcher (an orphaned `VLLM::EngineCore`); the new engine then fails minutes later, out of memory.
/// Warns above 1 GiB on a GPU (an idle MI300X shows well under that), or when the KFD names a holder.
enum VRAMInUseCheck {
    static let threshold: UInt64 = 1 << 30
    static let fix = "stop the processes named (kill PID), or wait for them; rocm-smi --showpids lists them too"

    static func check(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        guard let report = facts.report, !report.gpus.isEmpty else {
            let why = facts.detectionProblem.map { ": \($0)" } ?? ""
            return HostCheck(.vramInUse, .ok, "no GPU detected on this host\(why): no VRAM to check")
        }
        let gpus = facts.launchGPUs
        let positions = Set(gpus.map(\.index))
        let scope =
            facts.gpuCount == nil
            ? "\(facts.noProfile); checked every visible GPU (\(gpus.count))"
            : "the launch uses GPU(s) \(gpus.map { String($0.index) }.joined(separator: ", "))"
        let busy = gpus.filter { ($0.vramUsedBytes ?? 0) > threshold }.map { gpu in
            "GPU \(gpu.index) has \(ByteText.text(gpu.vramUsedBytes ?? 0)) in use"
        }
        let holders = KFDProcesses.holders(world.files, ownPID: world.ownPID).filter { holder in
            holder.bytes.keys.contains { positions.contains($0) || $0 == -1 }
        }
        let named = holders.map { holder in
            let total = holder.bytes.filter { positions.contains($0.key) || $0.key == -1 }.values.reduce(0, &+)
            return "pid \(holder.pid) (\(holder.name)) holds \(ByteText.text(total))"
        }
        guard busy.isEmpty, named.isEmpty else {
            let pids =
                named.isEmpty
                ? "; the KFD names no holder (rocm-smi --showpids may)" : "; " + named.joined(separator: ", ")
            return HostCheck(
                .vramInUse, .warn, "\(scope): " + (busy.isEmpty ? "VRAM is held" : busy.joined(separator: ", ")) + pids,
                fix: fix)
        }
        let known = gpus.contains { $0.vramUsedBytes != nil }
        return HostCheck(
            .vramInUse, .ok,
            known
                ? "\(scope): none has more than \(ByteText.text(threshold)) of VRAM in use, and the KFD names no holder"
                : "\(scope): detection does not report VRAM use (\(report.source?.rawValue ?? "?")), and the KFD names no holder"
        )
    }
}
