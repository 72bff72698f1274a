import AIMCore
import AIMGPU

/// rocm-smi and amd-smi JSON through their real readers, and KFD `properties` text.
enum GPUToolTargets {
    /// The fuzz input as the tool's stdout.
    private static func output(_ text: String) -> ToolOutput {
        ToolOutput(status: 0, stdout: text, stderr: "")
    }

    static func rocmSMI(_ text: String) {
        check(.rocmSMI) { try RocmSMIToolReader.answer(from: output(text)) }
    }

    /// The same document as `amd-smi static` and `amd-smi metric`, so both readings are exercised.
    static func amdSMI(_ text: String) {
        check(.amdSMI) {
            AMDSMIToolReader.answer(gpus: try AMDSMIToolReader.gpus(static: output(text)), metric: output(text))
        }
    }

    static func kfdProperties(_ text: String) {
        let answer = KFDTopologyReader.node(index: 0, propertiesText: text)
        FuzzInvariant.check(answer.devices.count <= 1, "one properties file gave \(answer.devices.count) GPUs")
        checkDevices(answer)
    }

    private static func check(_ source: GPUSource, _ answer: () throws -> GPUSourceAnswer) {
        do {
            checkDevices(try answer())
        } catch let unavailable as GPUSourceUnavailable {
            FuzzInvariant.oneLine(unavailable.reason, "the unavailable reason")
        } catch {
            FuzzInvariant.check(false, "\(source.rawValue) threw \(type(of: error)), not GPUSourceUnavailable")
        }
    }

    private static func checkDevices(_ answer: GPUSourceAnswer) {
        for (position, device) in answer.devices.enumerated() {
            FuzzInvariant.check(device.index == position, "GPU \(position) has index \(device.index)")
            if let busy = device.busyPercent {
                FuzzInvariant.check((0...100).contains(busy), "busy percent \(busy) is outside 0...100")
            }
            if let gfx = device.gfxTarget {
                FuzzInvariant.check(gfx.hasPrefix("gfx"), "gfx target \(gfx.debugDescription)")
            }
            if let deviceID = device.deviceID {
                FuzzInvariant.check(
                    deviceID.hasPrefix("0x") && deviceID.count <= 10, "device id \(deviceID.debugDescription)")
            }
        }
        for warning in answer.warnings {
            FuzzInvariant.oneLine(warning, "a GPU warning")
        }
    }
}
