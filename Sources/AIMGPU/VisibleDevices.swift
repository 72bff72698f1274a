import AIMCore
import Foundation

/// Applies ROCm's device-visibility variables to a list of GPUs.
///
/// `ROCR_VISIBLE_DEVICES` filters first; `HIP_VISIBLE_DEVICES` then indexes
/// into what ROCR left; `CUDA_VISIBLE_DEVICES` stands in for HIP's variable
/// only when that is unset. Entries are indices or GPU UUIDs (`GPU-<unique id>`).
/// An empty variable counts as unset, as every AIM variable does.
public enum VisibleDevices {
    public static let variables = ["ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES"]

    public struct Result: Equatable, Sendable {
        public let devices: [GPUDevice]
        /// The variables that were applied, as `NAME=value`.
        public let applied: [String]
    }

    public static func filter(_ devices: [GPUDevice], environment: [String: String]) throws -> Result {
        var visible = devices
        var applied: [String] = []
        if let rocr = value("ROCR_VISIBLE_DEVICES", environment) {
            visible = try select(rocr, from: visible, variable: "ROCR_VISIBLE_DEVICES")
            applied.append("ROCR_VISIBLE_DEVICES=\(rocr)")
        }
        let hipVariable =
            value("HIP_VISIBLE_DEVICES", environment) != nil ? "HIP_VISIBLE_DEVICES" : "CUDA_VISIBLE_DEVICES"
        if let hip = value(hipVariable, environment) {
            visible = try select(hip, from: visible, variable: hipVariable)
            applied.append("\(hipVariable)=\(hip)")
        }
        return Result(devices: visible, applied: applied)
    }

    private static func value(_ name: String, _ environment: [String: String]) -> String? {
        guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    private static func select(_ list: String, from devices: [GPUDevice], variable: String) throws -> [GPUDevice] {
        // Echoed values are shortened and their control characters escaped: an error stays one line.
        let shownList = FieldWarnings.shown(list)
        var chosen: [GPUDevice] = []
        for rawEntry in list.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = rawEntry.trimmingCharacters(in: .whitespaces)
            let device: GPUDevice
            if let position = Int(entry) {
                guard devices.indices.contains(position) else {
                    throw AIMError.configuration(
                        "\(variable)=\(shownList) is not valid: index \(position) is out of range; \(devices.count) GPU(s) are visible at that point (indices 0-\(max(devices.count - 1, 0)))"
                    )
                }
                device = devices[position]
            } else if entry.uppercased().hasPrefix("GPU-"),
                let match = devices.first(where: { matches($0, uuid: entry) })
            {
                device = match
            } else {
                throw AIMError.configuration(
                    "\(variable)=\(shownList) is not valid: \(FieldWarnings.shown(entry)) is neither a device index nor the UUID (GPU-<unique id>) of a visible GPU"
                )
            }
            guard !chosen.contains(where: { $0.index == device.index }) else {
                throw AIMError.configuration(
                    "\(variable)=\(shownList) is not valid: it names GPU \(device.index) twice")
            }
            chosen.append(device)
        }
        return chosen
    }

    /// `GPU-4a3f…` against the unique id, compared as a hex number so that padding does not matter.
    private static func matches(_ device: GPUDevice, uuid: String) -> Bool {
        guard let uniqueID = device.uniqueID,
            let wanted = UInt64(uuid.dropFirst(4).lowercased(), radix: 16),
            let actual = UInt64(uniqueID.lowercased().replacingOccurrences(of: "0x", with: ""), radix: 16)
        else { return false }
        return wanted == actual
    }
}
