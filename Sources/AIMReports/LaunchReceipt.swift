import AIMCore
import AIMEngine
import AIMModelStore
import AIMProfiles
import AIMSelection
import Foundation
import OrderedCollections

/// What one `serve` started, for an operator to say exactly what ran: the build, the profile and its
/// hash, the GPUs, the model's files and hashes, the engine, the argv and environment (secrets
/// redacted) and when each phase ended. docs/receipt.md documents the shape.
public struct LaunchReceipt: Sendable {
    /// The phases in the order they end; `ready` only once the engine serves the model.
    public enum Phase: String, CaseIterable, Sendable {
        case detect, select, download, spawn, ready
    }

    public let version: String
    public let commit: String
    public let spec: LaunchSpec
    /// The SHA-256 of the profile file as it is at launch; nil when it cannot be read.
    public let profileSHA256: String?
    /// The directory the engine loads, once the store has it.
    public let modelPath: String
    /// The Hub commit the revision resolved to, for Hub models.
    public let revision: String?
    public let files: [CachedFile]
    public private(set) var phases: [Phase: Date] = [:]
    public let started: Date

    public init(
        version: String, commit: String, spec: LaunchSpec, profileSHA256: String?, modelPath: String,
        revision: String?, files: [CachedFile], started: Date, phases: [Phase: Date]
    ) {
        self.version = version
        self.commit = commit
        self.spec = spec
        self.profileSHA256 = profileSHA256
        self.modelPath = modelPath
        self.revision = revision
        self.files = files
        self.started = started
        self.phases = phases
    }

    public mutating func reached(_ phase: Phase, at time: Date) {
        phases[phase] = time
    }

    public var document: StructuredValue {
        let engine = spec.engine
        let phaseTimes = OrderedDictionary(
            uniqueKeysWithValues: Phase.allCases.map { phase in
                (phase.rawValue, phases[phase].map { StructuredValue.string(Self.timestamp($0)) } ?? .null)
            })
        var document: OrderedDictionary<String, StructuredValue> = [
            "aim_runtime": .mapping(["version": .string(version), "commit": .string(commit)]),
            "started": .string(Self.timestamp(started)),
            "profile": .mapping([
                "id": .string(spec.profile.id),
                "path": .string(spec.profile.location.path),
                "sha256": profileSHA256.map(StructuredValue.string) ?? .null,
            ]),
            "gpu": .mapping([
                "model": .string(spec.gpu.model.rawValue),
                "count": .int(spec.gpu.count),
                "source": .string(spec.gpu.source),
                "detected": spec.gpu.report.map(GPUReportView.document) ?? .null,
            ]),
            "model": .mapping([
                "id": .string(spec.model.id),
                "source": .string(spec.model.source.rawValue),
                "path": .string(modelPath),
                "revision": revision.map(StructuredValue.string) ?? .null,
                "files": .list(files.map(Self.fileDocument)),
            ]),
            "engine": .mapping([
                "kind": .string(engine.installation.kind.rawValue),
                "version": engine.installation.version.map(StructuredValue.string) ?? .null,
                "entrypoint": .string(engine.entrypoint.form.rawValue),
                "entrypoint_reason": .string(engine.entrypoint.reason),
            ]),
            "command": .list(SecretRedaction.redact(argv: spec.command.argv).map(StructuredValue.string)),
            "env": LaunchPlanReport.environmentDocument(spec.command.environment),
            "readiness": LaunchPlanReport.readinessDocument(spec.readiness),
            "phases": .mapping(phaseTimes),
        ]
        // In a group: this node's rank and role, the leader, the ports and the interface its collectives use.
        if let group = spec.group { document["group"] = GroupPlanReport.document(group) }
        return .mapping(document)
    }

    static func fileDocument(_ file: CachedFile) -> StructuredValue {
        let hash: StructuredValue
        switch file.check {
        case .sha256(let hex): hash = .string("sha256:" + hex)
        case .gitBlobSHA1(let hex): hash = .string("git-sha1:" + hex)
        case .md5(let hex): hash = .string("md5:" + hex)
        case .sizeOnly: hash = .null
        }
        return .mapping(["path": .string(file.path), "size": .int(Int(clamping: file.size)), "hash": hash])
    }

    /// UTC, to the millisecond.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
