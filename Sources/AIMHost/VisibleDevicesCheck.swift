import AIMCore
import AIMGPU
import Foundation

/// `visible_devices`: ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES leave the engine as
/// many GPUs as the profile's tensor parallelism needs, and do not contradict each other (vLLM on ROCm stops
/// when HIP_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES are both set and differ).
enum VisibleDevicesCheck {
    static func check(_ world: HostWorld, _ facts: LaunchFacts) -> HostCheck {
        func value(_ name: String) -> String? {
            guard let text = world.environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                return nil
            }
            return text
        }
        let set = VisibleDevices.variables.compactMap { name in value(name).map { "\(name)=\($0)" } }
        let shown = set.isEmpty ? "no *_VISIBLE_DEVICES variable is set" : set.joined(separator: ", ")
        if let hip = value("HIP_VISIBLE_DEVICES"), let cuda = value("CUDA_VISIBLE_DEVICES"), hip != cuda {
            return HostCheck(
                .visibleDevices, .fail,
                "HIP_VISIBLE_DEVICES=\(OneLineText.quoted(hip, limit: 40)) and CUDA_VISIBLE_DEVICES="
                    + "\(OneLineText.quoted(cuda, limit: 40)) differ: vLLM on ROCm refuses to start",
                fix: "unset CUDA_VISIBLE_DEVICES, or set it to the same list as HIP_VISIBLE_DEVICES")
        }
        if let problem = facts.detectionProblem, !set.isEmpty {
            return HostCheck(
                .visibleDevices, .fail, problem, fix: "set the variables to indices or UUIDs of GPUs this host has")
        }
        guard let wanted = facts.gpuCount else {
            return HostCheck(
                .visibleDevices, .warn, "\(shown); \(facts.noProfile): cannot tell how many GPUs the engine needs",
                fix: "select a profile (AIM_ID or AIM_MODEL_ID, AIM_GPU_MODEL)")
        }
        let visible: Int
        let counted: String
        if let report = facts.report, report.detectedCount > 0 {
            visible = report.gpus.count
            counted = "\(visible) of the host's \(report.detectedCount) GPU(s) are visible"
        } else if let list = value("HIP_VISIBLE_DEVICES") ?? value("CUDA_VISIBLE_DEVICES")
            ?? value("ROCR_VISIBLE_DEVICES")
        {
            visible = list.split(separator: ",", omittingEmptySubsequences: false).count
            counted = "no GPU was detected; the variables name \(visible)"
        } else {
            return HostCheck(
                .visibleDevices, .warn,
                "\(shown), and no GPU was detected here: the profile wants \(wanted) GPU(s)",
                fix: "run on a host with \(wanted) AMD GPU(s) passed to the container")
        }
        guard visible >= wanted else {
            return HostCheck(
                .visibleDevices, .fail,
                "\(shown): \(counted), but the profile uses \(wanted)",
                fix: "make \(wanted) GPU(s) visible (widen or unset the *_VISIBLE_DEVICES variables), or choose a "
                    + "profile for \(visible) GPU(s) with AIM_GPU_COUNT=\(visible)")
        }
        return HostCheck(.visibleDevices, .ok, "\(shown): \(counted); the profile uses \(wanted)")
    }
}
