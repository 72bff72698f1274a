import AIMGPU
import Foundation

/// A recorded host's sysfs tree.
public func sysfs(_ machine: String) -> KFDTopologyReader {
    KFDTopologyReader(root: gpuFixtures + "/" + machine + "/sys")
}

/// Answers tool calls with canned output, as a real tool would print it.
public struct ScriptedTools: ToolRunning {
    public var outputs: [String: ToolOutput]

    public init(outputs: [String: ToolOutput]) {
        self.outputs = outputs
    }

    public func run(_ tool: String, arguments: [String]) throws -> ToolOutput {
        let key = ([tool] + arguments.prefix(1)).joined(separator: " ")
        guard let output = outputs[key] ?? outputs[tool] else { throw GPUSourceUnavailable("\(tool) is not on PATH") }
        return output
    }

    public static func fixture(_ name: String) throws -> ToolOutput {
        ToolOutput(
            status: 0, stdout: try String(contentsOfFile: gpuFixtures + "/tools/" + name, encoding: .utf8), stderr: "")
    }
}
