import AIMCore
import Foundation
import OrderedCollections

/// What `serve` is doing, in a small JSON file, so that `aim-runtime health` (a Docker
/// HEALTHCHECK or a Kubernetes exec probe) can answer from another process.
public struct ServeStatus: Equatable, Sendable {
    public enum Phase: String, Sendable {
        case starting, ready, unhealthy, stopping
    }

    public static let defaultPath = "/tmp/aim-runtime/serve-status.json"

    public var pid: Int32
    public var phase: Phase
    public var port: Int
    public var servedModelName: String
    /// Why the engine last failed, when it has.
    public var diagnosis: EngineFailureDiagnosis?
    /// In a group of nodes: this node's role and rank.
    public var groupRole: NodeGroup.Role?
    public var groupRank: Int?
    /// The engine's pid while it runs.
    public var enginePID: Int32?

    public init(
        pid: Int32, phase: Phase, port: Int, servedModelName: String, diagnosis: EngineFailureDiagnosis? = nil
    ) {
        self.pid = pid
        self.phase = phase
        self.port = port
        self.servedModelName = servedModelName
        self.diagnosis = diagnosis
    }

    /// Written through a temporary file and a rename: a reader never sees half a file.
    public func write(to path: String) {
        SafeFileWrite.replace(path, with: Array((JSONWriter.write(document) + "\n").utf8))
    }

    /// The file's JSON: pid, phase, port, served_model_name, and `diagnosis` (cause, fix, evidence) when
    /// there is one.
    public var document: StructuredValue {
        var mapping: OrderedDictionary<String, StructuredValue> = [
            "pid": .int(Int(pid)), "phase": .string(phase.rawValue), "port": .int(port),
            "served_model_name": .string(servedModelName),
        ]
        if let groupRole, let groupRank {
            mapping["role"] = .string(groupRole.rawValue)
            mapping["rank"] = .int(groupRank)
        }
        if let enginePID { mapping["engine_pid"] = .int(Int(enginePID)) }
        if let diagnosis {
            mapping["diagnosis"] = .mapping([
                "cause": .string(diagnosis.cause.rawValue), "fix": .string(diagnosis.fix),
                "evidence": .string(diagnosis.evidence),
            ])
        }
        return .mapping(mapping)
    }

    /// The status file holds a few dozen bytes; anything much larger is not one.
    static let sizeLimit = 64 << 10

    public static func read(from path: String) -> ServeStatus? {
        guard let data = BoundedFile.contents(path, limit: sizeLimit), data.count < sizeLimit,
            let document = try? JSONParser.parse(String(decoding: data, as: UTF8.self)).mappingValue,
            case .int(let number)? = document["pid"], case .int(let port)? = document["port"],
            // pid 0 or -1 would make kill() test a whole group; a port out of range cannot be probed.
            let pid = Int32(exactly: number), pid > 0, (1...65535).contains(port),
            let phase = document["phase"]?.stringValue.flatMap(Phase.init(rawValue:)),
            let name = document["served_model_name"]?.stringValue
        else { return nil }
        var status = ServeStatus(
            pid: pid, phase: phase, port: port, servedModelName: name,
            diagnosis: document["diagnosis"].flatMap(readDiagnosis))
        if let role = document["role"]?.stringValue.flatMap(NodeGroup.Role.init(rawValue:)),
            case .int(let rank)? = document["rank"], (0..<NodeGroup.maxSize).contains(rank)
        {
            status.groupRole = role
            status.groupRank = rank
        }
        if case .int(let number)? = document["engine_pid"], let enginePID = Int32(exactly: number), enginePID > 0 {
            status.enginePID = enginePID
        }
        return status
    }

    /// Whether the engine the file names still runs, and its state letter from /proc (R, S, D, Z…).
    public var engineState: (alive: Bool, state: String?)? {
        guard let enginePID else { return nil }
        let stat = BoundedFile.contents("/proc/\(enginePID)/stat", limit: 4096).map {
            String(decoding: $0, as: UTF8.self)
        }
        // The state follows the command's closing parenthesis.
        let state = stat.flatMap { text in
            text.range(of: ")", options: .backwards).map { String(text[$0.upperBound...].dropFirst().prefix(1)) }
        }
        let alive = kill(enginePID, 0) == 0 || errno == EPERM
        return (alive && state != "Z", state)
    }

    /// Files written before diagnoses existed have none; one that is not whole is left out, the status kept.
    private static func readDiagnosis(_ value: StructuredValue) -> EngineFailureDiagnosis? {
        guard let mapping = value.mappingValue,
            let cause = mapping["cause"]?.stringValue.flatMap(FailureCause.init(rawValue:)),
            let fix = mapping["fix"]?.stringValue, let evidence = mapping["evidence"]?.stringValue
        else { return nil }
        return EngineFailureDiagnosis(cause: cause, fix: fix, evidence: evidence)
    }

    /// Whether the serve process that wrote the file still runs.
    public var processAlive: Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// The probe `aim-runtime health` runs.
public enum HealthCheck {
    /// `--live`: serve is running. `--ready`: the engine answers /health and lists the model.
    /// Two requests of at most 3 s each, so the check ends within the 8-10 s probe timeouts of the
    /// shipped HEALTHCHECK and Kubernetes manifests.
    public static func check(ready: Bool, statusPath: String, port: Int) async -> (healthy: Bool, line: String) {
        let report = await report(ready: ready, statusPath: statusPath, port: port)
        return (report.healthy, report.line)
    }

    /// The check's answer with the status it read, for `health --format json`.
    public static func report(ready: Bool, statusPath: String, port: Int) async -> HealthReport {
        let status = ServeStatus.read(from: statusPath)
        let (healthy, line) = await answer(ready: ready, status: status, statusPath: statusPath, port: port)
        return HealthReport(healthy: healthy, line: line, status: status)
    }

    private static func answer(
        ready: Bool, status: ServeStatus?, statusPath: String, port: Int
    ) async -> (healthy: Bool, line: String) {
        if !ready {
            guard let status else { return (false, "not live: no serve status at \(OneLineText.escape(statusPath))") }
            return status.processAlive
                ? (true, "live: serve (pid \(status.pid)) is \(status.phase.rawValue)")
                : (false, "not live: serve (pid \(status.pid)) is gone")
        }
        if let status, !status.processAlive {
            return (false, "not ready: serve (pid \(status.pid)) is gone")
        }
        if let status, status.groupRole == .worker {
            return workerAnswer(status)
        }
        let probe = HealthProbe(port: status?.port ?? port, servedModelName: status?.servedModelName ?? "", timeout: 3)
        guard await probe.healthy() else {
            return (false, "not ready: the engine does not answer GET /health on port \(status?.port ?? port)")
        }
        if let status {
            return await probe.listsModel()
                ? (true, "ready: serving \(OneLineText.escape(status.servedModelName)) on port \(status.port)")
                : (false, "not ready: /v1/models does not list \(OneLineText.escape(status.servedModelName)) yet")
        }
        return (true, "ready: the engine answers on port \(port)")
    }
}

extension HealthCheck {
    /// A headless worker has no API: it is ready while its engine process runs after the group started.
    static func workerAnswer(_ status: ServeStatus) -> (healthy: Bool, line: String) {
        let rank = status.groupRank ?? 0
        guard status.phase == .ready, let engine = status.engineState else {
            return (false, "not ready: worker rank \(rank) is \(status.phase.rawValue) (its engine has not started)")
        }
        let state = engine.state.map { ", state \($0)" } ?? ""
        return engine.alive
            ? (true, "ready: worker rank \(rank)'s engine (pid \(status.enginePID ?? 0)\(state)) is running headless")
            : (false, "not ready: worker rank \(rank)'s engine (pid \(status.enginePID ?? 0)) is gone")
    }
}

/// What `aim-runtime health` found: the verdict, its one line, and serve's status file when there is one.
public struct HealthReport: Sendable {
    public var healthy: Bool
    public var line: String
    public var status: ServeStatus?

    /// `health --format json`: healthy, message, then the status file's fields (phase, pid, port,
    /// served_model_name, diagnosis when there is one).
    public var document: StructuredValue {
        var mapping: OrderedDictionary<String, StructuredValue> = ["healthy": .bool(healthy), "message": .string(line)]
        if let fields = status?.document.mappingValue {
            for key in ["phase", "pid", "port", "served_model_name", "role", "rank", "engine_pid", "diagnosis"] {
                if let value = fields[key] { mapping[key] = value }
            }
        }
        return .mapping(mapping)
    }
}
