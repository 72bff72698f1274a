import Foundation

/// Finds out whether the installed vLLM accepts `--shutdown-timeout`, without importing it
/// (an import takes seconds): the interpreter locates the package, and its argument
/// definitions are searched for the flag.
public enum VLLMFeatureProbe {
    public static func supportsShutdownTimeout(python: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import importlib.util; s = importlib.util.find_spec('vllm'); print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let package = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !package.isEmpty,
              let source = FileManager.default.contents(atPath: package + "/engine/arg_utils.py")
        else { return false }
        return String(decoding: source, as: UTF8.self).contains("\"--shutdown-timeout\"")
    }
}
