import Foundation
import Testing

/// A server process the tests start on 127.0.0.1 and stop when done.
public final class LocalServer {
    public let process: Process
    public let port: Int

    /// Starts `arguments`, then waits until `port` (or the port the process prints first) accepts connections.
    public init(
        _ arguments: [String], port fixedPort: Int? = nil, environment: [String: String] = [:], directory: String? = nil
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let fixedPort {
            port = fixedPort
        } else {
            let line = Self.firstLine(of: output.fileHandleForReading)
            guard let printed = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                process.terminate()
                throw CocoaError(.fileReadCorruptFile)
            }
            port = printed
        }
        try Self.waitForPort(port, timeout: 30)
    }

    deinit {
        kill(-process.processIdentifier, SIGKILL)
        process.terminate()
        process.waitUntilExit()
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// A GET through Python's urllib (redirects followed): Foundation on Linux has no http:// in Data(contentsOf:).
    public static func get(_ url: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return data
    }

    public static func firstLine(of handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func waitForPort(_ port: Int, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(socket)
            if connected == 0 { return }
            usleep(100_000)
        }
        throw CocoaError(.fileReadNoSuchFile)
    }

    public static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        close(socket)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The external tools some tests need; .ci/run installs them into a venv on PATH.
public enum TestTools {
    public static func onPath(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A python3 that can import `module`.
    public static func python(with module: String) -> String? {
        guard let python = onPath("python3") else { return nil }
        return (try? CLI.runProgram(python, ["-c", "import \(module)"]))?.status == 0 ? python : nil
    }

    public static let hubPython = python(with: "huggingface_hub")
    public static let olah = onPath("olah-cli")
    public static let moto = onPath("moto_server")
    public static let boto3Python = python(with: "boto3")

    /// Where scripts/demo-cpu.sh and .ci/run keep vLLM for CPU.
    /// `$XDG_CACHE_HOME`, else `~/.cache`: where scripts/test.sh installs the venvs.
    public static var cacheHome: String {
        ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache"
    }

    public static var vllmVenv: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["AIM_VLLM_VENV"] ?? (environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache")
            + "/aim-runtime-vllm-venv"
    }

    /// SmolLM2-135M-Instruct as scripts/prepare-smollm2.sh builds it (scripts/test.sh runs it next to the vLLM venv).
    public static var smollm2: String {
        ProcessInfo.processInfo.environment["AIM_SMOLLM2_DIR"] ?? cacheHome + "/aim-runtime-smollm2"
    }

    /// The script writes this file last, inside a folder it renames into place: present means complete.
    public static var smollm2IsPrepared: Bool {
        FileManager.default.fileExists(atPath: smollm2 + "/aim-prepared.json")
    }
}
