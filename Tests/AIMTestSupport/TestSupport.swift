import Foundation
import Testing

/// A temporary directory that removes itself.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "aim-runtime-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> String {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }
}

/// Profile YAML for fixtures; only the fields a test cares about vary.
public enum ProfileFixture {
    public static func yaml(
        aimID: String? = "org/model", modelID: String? = "org/model", engine: String = "vllm", gpu: String = "MI300X",
        precision: String = "fp16", gpuCount: String = "1", metric: String = "latency", type: String = "optimized",
        manual: String = "false", engineArgs: String = "  tensor-parallel-size: 1\n",
        envVars: String = "  VLLM_USE_V1: '1'\n"
    ) -> String {
        var text = ""
        if let aimID { text += "aim_id: \(aimID)\n" }
        if let modelID { text += "model_id: \(modelID)\n" }
        text += """
            metadata:
              engine: \(engine)
              gpu: \(gpu)
              precision: \(precision)
              gpu_count: \(gpuCount)
              metric: \(metric)
              type: \(type)
              manual_selection_only: \(manual)

            """
        text += engineArgs.isEmpty ? "engine_args: {}\n" : "engine_args:\n" + engineArgs
        text += envVars.isEmpty ? "env_vars: {}\n" : "env_vars:\n" + envVars
        return text
    }

    public static func general(
        gpu: String = "MI300X", gpuCount: String = "1", metric: String = "latency", precision: String = "fp16"
    ) -> String {
        yaml(
            aimID: nil, modelID: nil, gpu: gpu, precision: precision, gpuCount: gpuCount, metric: metric,
            type: "general",
            engineArgs: "  dtype: float16\n  tensor-parallel-size: \(gpuCount)\n")
    }
}

/// Runs the built `aim-runtime` binary with a clean environment.
public enum CLI {
    public struct Outcome {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// The binary sits next to the test bundle in the build's products directory.
    public static var binary: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("aim-runtime").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try runProgram(
            binary, arguments,
            environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { $1 })
    }

    /// Runs any program to its end; `environment` nil means this process's own.
    public static func runProgram(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read stderr on another thread while stdout is drained, so neither full pipe can block the child.
        nonisolated(unsafe) var errors = Data()
        let errorsRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors = stderr.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }
}

/// The recorded GPU hosts and tool outputs (Tests/Fixtures/gpu/FIXTURES.md names each source).
public let gpuFixtures = CLI.packageRoot + "/Tests/Fixtures/gpu"

/// A work directory for `serve` with the scripted engine (Tests/Servers/fake_engine.py): a general profile,
/// a local model, a `bin/python` first on PATH that runs the engine in place of vLLM (exec keeps the pid), and
/// `state/`, where the engine notes what happened to it.
public enum ScriptedEngineWorkspace {
    public static func make() throws -> TemporaryDirectory {
        let work = try TemporaryDirectory()
        try work.write("profiles/general/vllm-mi300x-fp16-tp1-latency.yaml", ProfileFixture.general())
        try work.write("model/config.json", "{}")
        try work.writeExecutable(
            "bin/python", "#!/bin/sh\nexec python3 '\(CLI.packageRoot)/Tests/Servers/fake_engine.py' \"$@\"\n")
        try FileManager.default.createDirectory(atPath: work.path + "/state", withIntermediateDirectories: true)
        return work
    }
}
