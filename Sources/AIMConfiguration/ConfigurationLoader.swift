import AIMCore
import Foundation
import Logging
import OrderedCollections

/// Reads and validates the configuration.
///
/// Where the reference warns and falls back to a default, this rejects the
/// value: a typo in AIM_PRECISION should stop a launch, not silently change it.
public struct ConfigurationLoader: Sendable {
    public static let containerProfileRoot = ConfigurationDefaults.containerProfileRoot

    /// The profile root to use when AIM_PROFILE_BASE_PATH is unset.
    private let defaultProfileRoot: String

    /// - Parameters:
    ///   - bundledProfileRoot: the `profiles/` shipped with this build.
    ///   - directoryExists: injected so that tests do not depend on `/workspace`.
    public init(bundledProfileRoot: String, directoryExists: (String) -> Bool = Directory.exists) {
        defaultProfileRoot = directoryExists(Self.containerProfileRoot) ? Self.containerProfileRoot : bundledProfileRoot
    }

    /// - Parameter requireModel: whether exactly one of AIM_ID and AIM_MODEL_ID must be set.
    public func load(_ input: ConfigurationInput, requireModel: Bool) throws -> RuntimeConfiguration {
        try rejectControlCharacters(input)
        let aimID = input.value(.aimID)?.text
        let modelID = input.value(.modelID)?.text
        if requireModel {
            try checkModelIdentity(aimID: aimID, modelID: modelID)
        }
        typealias Defaults = ConfigurationDefaults
        let hostRoot = try parseHostRoot(input)
        var configuration = RuntimeConfiguration(
            aimID: aimID,
            modelID: modelID,
            precision: try parseAutoOrChoice(input, .precision, lowercased: true) { Precision(rawValue: $0) },
            gpuCount: try parseGPUCount(input),
            gpuModel: try parseChoice(input, .gpuModel, default: Defaults.gpuModel, lowercased: false) {
                GPUModel(rawValue: $0.uppercased())
            },
            engine: try parseAutoOrChoice(input, .engine, lowercased: true) { EngineKind(rawValue: $0) }
                ?? Defaults.engine,
            metric: try parseAutoOrChoice(input, .metric, lowercased: true) { Metric(rawValue: $0) } ?? Defaults.metric,
            profileID: input.value(.profileID)?.text,
            cachePath: Self.withoutTrailingSlashes(input.value(.cachePath)?.text ?? Defaults.cachePath),
            port: try parsePort(input),
            engineArgs: try parseEngineArgs(input),
            logLevelRoot: try parseLogLevel(input, .logLevelRoot) ?? Defaults.logLevelRoot,
            logLevel: try parseLogLevel(input, .logLevel) ?? Defaults.logLevel,
            logFormat: try parseChoice(input, .logFormat, default: Defaults.logFormat, lowercased: true) {
                LogOutputFormat(rawValue: $0)
            },
            customModelName: input.value(.customModelName)?.text,
            allowGeneralFallback: try parseBoolean(input, .allowGeneralFallback) ?? Defaults.allowGeneralFallback,
            profileBasePath: try parseProfileRoot(input),
            gpuSource: try parseAutoOrChoice(input, .gpuSource, lowercased: true) { GPUSource(rawValue: $0) },
            sysfsPath: input.value(.sysfsPath)?.text ?? Self.path(Defaults.sysfsPath, under: hostRoot),
            gpuDetectTimeoutSeconds: try parseNumber(
                input, .gpuDetectTimeout, default: Defaults.gpuDetectTimeoutSeconds, range: 1...600, unit: "seconds"),
            downloadStallSeconds: try parseNumber(
                input, .downloadStallSeconds, default: Defaults.downloadStallSeconds, range: 1...3600, unit: "seconds"),
            downloadConnectTimeoutSeconds: try parseNumber(
                input, .downloadConnectTimeout, default: Defaults.downloadConnectTimeoutSeconds, range: 1...600,
                unit: "seconds"),
            downloadConnections: try parseNumber(
                input, .downloadConnections, default: Defaults.downloadConnections, range: 1...256, unit: "connections"),
            downloadMaxConnections: try parseNumber(
                input, .downloadMaxConnections, default: Defaults.downloadMaxConnections, range: 1...256,
                unit: "connections"),
            downloadChunkMiB: try parseNumber(
                input, .downloadChunkMiB, default: Defaults.downloadChunkMiB, range: 1...4096, unit: "MiB"),
            downloadInclude: try globs(input, .downloadInclude),
            downloadExclude: try globs(input, .downloadExclude),
            startupTimeoutSeconds: try parseNumber(
                input, .startupTimeout, default: Defaults.startupTimeoutSeconds, range: 1...604_800, unit: "seconds"),
            // No 0 to turn it off: the report costs one /proc walk per silence, and a hang needs it most.
            startupSilenceSeconds: try parseNumber(
                input, .startupSilence, default: Defaults.startupSilenceSeconds, range: 10...86_400, unit: "seconds"),
            healthIntervalSeconds: try parseNumber(
                input, .healthInterval, default: Defaults.healthIntervalSeconds, range: 1...3600, unit: "seconds"),
            healthFailureThreshold: try parseNumber(
                input, .healthFailures, default: Defaults.healthFailureThreshold, range: 1...1000, unit: "failures"),
            restartOnFailure: try parseRestartPolicy(input),
            maxRestarts: try parseNumber(
                input, .maxRestarts, default: Defaults.maxRestarts, range: 0...1000, unit: "restarts"),
            shutdownGraceSeconds: try parseNumber(
                input, .shutdownGrace, default: Defaults.shutdownGraceSeconds, range: 1...3600, unit: "seconds"),
            terminationMessagePath: input.value(.terminationMessagePath)?.text ?? Defaults.terminationMessagePath,
            statusPath: input.value(.statusPath)?.text ?? Defaults.statusPath,
            hostRoot: hostRoot,
            preflight: try parseOnOff(input, .preflight) ?? Defaults.preflight,
            memoryCheck: try parseChoice(input, .memoryCheck, default: Defaults.memoryCheck, lowercased: true) {
                MemoryCheck(rawValue: $0)
            },
            autoMaxModelLen: try parseBoolean(input, .autoMaxModelLen) ?? Defaults.autoMaxModelLen
        )
        try readNodeGroup(input, into: &configuration)
        return configuration
    }

    /// An absolute path of the host as seen under `root` (`/` leaves it as it is).
    public static func path(_ absolute: String, under root: String) -> String {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        return base + absolute
    }

    /// A host root that is not a directory would make every check read nothing and report it as missing.
    private func parseHostRoot(_ input: ConfigurationInput) throws -> String {
        guard let (text, origin) = input.value(.hostRoot) else { return ConfigurationDefaults.hostRoot }
        guard text.hasPrefix("/") else {
            throw invalid(origin, text, expected: "an absolute path of a directory, e.g. / or /host")
        }
        guard Directory.exists(text) else {
            throw AIMError.configuration(
                "\(origin)=\(Self.quoted(text)) is not a directory; set it to the directory holding the host's proc/, sys/ and dev/ (default /)"
            )
        }
        return text
    }

    private func parseOnOff(_ input: ConfigurationInput, _ variable: ConfigVariable) throws -> Bool? {
        guard let (text, origin) = input.value(variable) else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "on": return true
        case "off": return false
        default: throw invalid(origin, text, expected: "on or off")
        }
    }

    /// No setting has a use for control characters; in a path or an id they only hide what the
    /// value really is. JSON may span lines, so AIM_ENGINE_ARGS keeps its whitespace.
    private func rejectControlCharacters(_ input: ConfigurationInput) throws {
        for variable in ConfigVariable.allCases {
            guard let (text, origin) = input.value(variable) else { continue }
            let allowed: Set<Unicode.Scalar> = variable == .engineArgs ? ["\n", "\r", "\t"] : []
            if text.unicodeScalars.contains(where: { OneLineText.isControl($0) && !allowed.contains($0) }) {
                let shown = variable == .engineArgs ? Self.excerpt(text) : Self.quoted(text)
                throw AIMError.configuration(
                    "\(origin)=\(shown) is not valid: it contains a control character; remove it")
            }
        }
    }

    /// A profile root that was asked for must exist: without it every profile would silently vanish.
    private func parseProfileRoot(_ input: ConfigurationInput) throws -> String {
        guard let (text, origin) = input.value(.profileBasePath) else { return defaultProfileRoot }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) else {
            throw AIMError.configuration(
                "\(origin)=\(Self.quoted(text)) does not exist; set it to the profile root that holds custom/, <org>/<model>/ and general/"
            )
        }
        guard isDirectory.boolValue else {
            throw AIMError.configuration(
                "\(origin)=\(Self.quoted(text)) is not a directory; set it to the profile root that holds custom/, <org>/<model>/ and general/"
            )
        }
        return text
    }

    private func checkModelIdentity(aimID: String?, modelID: String?) throws {
        // AIM_ID names a directory under the profile root; it must not climb out of it.
        if let aimID,
            aimID.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." })
        {
            throw AIMError.configuration(
                "AIM_ID='\(aimID)' is not valid: expected an id such as org/model, without '.' or '..' segments")
        }
        switch (aimID, modelID) {
        case (.some(let aimID), .some(let modelID)):
            throw AIMError.configuration(
                "AIM_ID='\(aimID)' and AIM_MODEL_ID='\(modelID)' are both set; set only one: AIM_ID for a model-specific AIM, AIM_MODEL_ID for a base AIM"
            )
        case (nil, nil):
            throw AIMError.configuration(
                "neither AIM_ID nor AIM_MODEL_ID is set; set one, e.g. AIM_MODEL_ID=meta-llama/Llama-3.1-8B-Instruct")
        default:
            return
        }
    }

    func invalid(_ origin: String, _ text: String, expected: String) -> AIMError {
        AIMError.configuration("\(origin)=\(Self.quoted(text)) is not valid: expected \(expected)")
    }

    /// A value echoed in an error: quoted, shortened and escaped.
    static func quoted(_ text: String) -> String {
        OneLineText.quoted(text, limit: 120)
    }

    private func parseChoice<Value: RawRepresentable & CaseIterable>(
        _ input: ConfigurationInput, _ variable: ConfigVariable, default defaultValue: Value, lowercased: Bool,
        make: (String) -> Value?
    ) throws -> Value where Value.RawValue == String {
        guard let (text, origin) = input.value(variable) else { return defaultValue }
        let normalized = text.trimmingCharacters(in: .whitespaces)
        guard let value = make(lowercased ? normalized.lowercased() : normalized) else {
            throw invalid(origin, text, expected: "one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A choice that also accepts `auto`, returned as nil.
    private func parseAutoOrChoice<Value: RawRepresentable & CaseIterable>(
        _ input: ConfigurationInput, _ variable: ConfigVariable, lowercased: Bool, make: (String) -> Value?
    ) throws -> Value? where Value.RawValue == String {
        guard let (text, origin) = input.value(variable) else { return nil }
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
        if normalized == "auto" { return nil }
        guard let value = make(normalized) else {
            throw invalid(
                origin, text, expected: "one of auto, " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// Eight GPUs of eight CPX partitions each is 64; the rest is headroom, not a use case.
    static let maxGPUCount = 1024

    private func parseGPUCount(_ input: ConfigurationInput) throws -> Int? {
        guard let (text, origin) = input.value(.gpuCount) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "auto" { return nil }
        guard let count = Self.parseWholeNumber(trimmed), count <= Self.maxGPUCount else {
            throw invalid(
                origin, text, expected: "'auto' or a whole number of GPUs from 0 to \(Self.maxGPUCount), e.g. 8")
        }
        return count
    }

    /// A whole number within the range the setting can sensibly take, so that no later
    /// arithmetic (seconds to nanoseconds, MiB to bytes) can overflow.
    func parseNumber(
        _ input: ConfigurationInput, _ variable: ConfigVariable, default defaultValue: Int, range: ClosedRange<Int>,
        unit: String
    ) throws -> Int {
        guard let (text, origin) = input.value(variable) else { return defaultValue }
        guard let value = Self.parseWholeNumber(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw invalid(
                origin, text,
                expected:
                    "a whole number \(unit.isEmpty ? "" : "of \(unit) ")from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// `/cache/` and `/cache` name one directory; the paths built under it (and compared) must agree.
    static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    private func parseRestartPolicy(_ input: ConfigurationInput) throws -> Bool {
        guard let (text, origin) = input.value(.restartPolicy) else { return ConfigurationDefaults.restartOnFailure }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "never": return false
        case "on-failure": return true
        default: throw invalid(origin, text, expected: "never or on-failure")
        }
    }

    /// Globs are matched with fnmatch, whose backtracking grows with every `*`: a pattern with many
    /// stars against a long listing could run for minutes, so their number and size are capped.
    private func globs(_ input: ConfigurationInput, _ variable: ConfigVariable) throws -> [String] {
        guard let (text, origin) = input.value(variable) else { return [] }
        let globs = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if globs.count > 64 {
            throw invalid(origin, text, expected: "at most 64 comma-separated globs")
        }
        if let glob = globs.first(where: { $0.count > 256 || $0.filter({ $0 == "*" }).count > 8 }) {
            throw invalid(
                origin, text,
                expected:
                    "globs of at most 256 characters and 8 '*' each, e.g. *.safetensors (\(Self.quoted(glob)) is not)")
        }
        return globs
    }

    func parsePort(
        _ input: ConfigurationInput, _ variable: ConfigVariable = .port,
        default defaultValue: Int = ConfigurationDefaults.port
    ) throws -> Int {
        guard let (text, origin) = input.value(variable) else { return defaultValue }
        guard let port = Self.parseWholeNumber(text.trimmingCharacters(in: .whitespaces)), (1...65535).contains(port)
        else {
            throw invalid(origin, text, expected: "a port number from 1 to 65535")
        }
        return port
    }

    /// Digits only: no sign, no spaces inside, no exponent.
    static func parseWholeNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private func parseEngineArgs(_ input: ConfigurationInput) throws -> OrderedDictionary<String, StructuredValue>? {
        guard let (text, origin) = input.value(.engineArgs) else { return nil }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        let parsed: StructuredValue
        do {
            parsed = try JSONParser.parse(text)
        } catch let failure as JSONParser.Failure {
            throw AIMError.configuration(
                "\(origin)=\(Self.excerpt(text)) is not valid JSON (\(failure)); expected a JSON object such as {\"max-model-len\": 8192}"
            )
        }
        guard case .mapping(let arguments) = parsed else {
            throw AIMError.configuration(
                "\(origin)=\(Self.excerpt(text)) must be a JSON object, got \(parsed.kindDescription); expected e.g. {\"max-model-len\": 8192}"
            )
        }
        // Key names and control characters are the same for every engine, so they fail here, before
        // anything else runs; value types wait for the chosen profile's engine.
        for (key, value) in arguments {
            if let violation = EngineArgumentText.violation(key: key, value: value) {
                let subject = violation.isKey ? "the key '\(OneLineText.escape(key))'" : OneLineText.escape(key)
                throw AIMError.configuration(
                    "\(origin) is not valid: \(subject) must be \(violation.expected), got \(violation.found)")
            }
        }
        return arguments
    }

    /// The value quoted for an error line: shortened, and withheld if it may hold a secret.
    private static func excerpt(_ text: String) -> String {
        let lowered = text.lowercased()
        if ["token", "key", "secret", "password", "authorization", "bearer", "hf_", "credential"].contains(
            where: lowered.contains)
        {
            return "<value withheld: it may hold a secret>"
        }
        let oneLine = text.replacingOccurrences(of: "\n", with: " ")
        return "'" + (oneLine.count > 80 ? oneLine.prefix(77) + "..." : oneLine) + "'"
    }

    private func parseLogLevel(_ input: ConfigurationInput, _ variable: ConfigVariable) throws -> Logger.Level? {
        guard let (text, origin) = input.value(variable) else { return nil }
        guard let level = LogLevelSetting.parse(text) else {
            throw invalid(origin, text, expected: "one of " + LogLevelSetting.accepted.joined(separator: ", "))
        }
        return level
    }

    private func parseBoolean(_ input: ConfigurationInput, _ variable: ConfigVariable) throws -> Bool? {
        guard let (text, origin) = input.value(variable) else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw invalid(origin, text, expected: "a boolean: true/false, yes/no or 1/0")
        }
    }
}
