import AIMCore
import AIMEngine
import AIMMemory
import AIMProfiles
import AIMSelection
import OrderedCollections

/// `select --dry-run`: the launch plan as JSON, YAML or pasteable shell text.
///
/// The JSON shape is a documented contract (docs/select-json.md). Secret values
/// are replaced by `***`; the plan used by `serve` is not.
public enum LaunchPlanReport {
    public static func document(_ plan: LaunchSpec, presence: ModelPresence) -> StructuredValue {
        let profile = plan.profile
        var document: OrderedDictionary<String, StructuredValue> = [
            "profile": .mapping([
                "id": .string(profile.id),
                "path": .string(profile.location.relativePath),
                "source": .string(profile.source.rawValue),
                "forced": .bool(plan.selection.forced),
                "metadata": metadataDocument(profile.metadata),
            ]),
            "model": .mapping([
                "id": .string(plan.model.id),
                "source": .string(plan.model.source.rawValue),
                "argument": .string(plan.model.argument),
                "location": .string(plan.model.location),
                "download": .bool(plan.model.needsDownload),
                "cache": cacheDocument(plan.model, presence: presence),
            ]),
            "engine": .mapping([
                "kind": .string(plan.engine.installation.kind.rawValue),
                "installed": .bool(plan.engine.installation.isInstalled),
                "version": plan.engine.installation.version.map(StructuredValue.string) ?? .null,
                "entrypoint": .string(plan.engine.entrypoint.form.rawValue),
                "entrypoint_reason": .string(plan.engine.entrypoint.reason),
            ]),
            "command": .list(SecretRedaction.redact(argv: plan.command.argv).map(StructuredValue.string)),
            "env": environmentDocument(plan.command.environment),
            "served_model_names": .list(plan.command.servedNames.map(StructuredValue.string)),
            "readiness": readinessDocument(plan.readiness),
            "memory": MemoryReport.document(plan.memory),
            "gpu": .mapping([
                "model": .string(plan.gpu.model.rawValue),
                "count": .int(plan.gpu.count),
                "source": .string(plan.gpu.source),
            ]),
        ]
        if let group = plan.group { document["group"] = GroupPlanReport.document(group) }
        return .mapping(document)
    }

    /// The variables the launch adds to the engine's environment, secrets as `***`.
    static func environmentDocument(_ environment: [(key: String, value: String)]) -> StructuredValue {
        .mapping(
            OrderedDictionary(
                uniqueKeysWithValues: SecretRedaction.redact(environment: environment).map {
                    ($0.key, StructuredValue.string($0.value))
                }))
    }

    static func readinessDocument(_ readiness: EngineReadiness) -> StructuredValue {
        .mapping([
            "port": .int(readiness.port), "health": .string(readiness.healthPath),
            "models": .string(readiness.modelsPath), "model_name": .string(readiness.modelName),
        ])
    }

    /// What is cached, as `ModelPresence` found it on the local disk: a dry run neither downloads nor asks
    /// the network. A local model directory is used where it is, so it is reported as present or missing,
    /// never as downloadable.
    static func cacheSummary(_ model: ModelResolution, presence: ModelPresence) -> String {
        switch (model.source, presence.path) {
        case (.local, .some): return "local directory (\(sizeText(presence)))"
        case (.local, nil): return "the local directory does not exist: serve will stop with exit 7"
        case (_, let path?): return "cached at \(path) (\(sizeText(presence)))"
        case (_, nil): return "not cached: serve will download it to \(model.location)"
        }
    }

    static func cacheDocument(_ model: ModelResolution, presence: ModelPresence) -> StructuredValue {
        guard let path = presence.path else { return .mapping(["state": .string("missing")]) }
        let state = model.source == .local ? "local" : "cached"
        return .mapping([
            "state": .string(state), "path": .string(path), "files": .int(presence.files),
            "bytes": .int(Int(clamping: presence.bytes)),
        ])
    }

    private static func sizeText(_ presence: ModelPresence) -> String {
        "\(presence.files) files, \(ByteCount.text(presence.bytes))"
    }

    public static func metadataDocument(_ metadata: ProfileMetadata) -> StructuredValue {
        var fields: OrderedDictionary<String, StructuredValue> = [
            "engine": .string(metadata.engine.rawValue),
            "gpu": .string(metadata.gpu.rawValue),
            "precision": .string(metadata.precision.rawValue),
            "gpu_count": .int(metadata.gpuCount),
            "metric": .string(metadata.metric.rawValue),
            "manual_selection_only": .bool(metadata.manualSelectionOnly),
            "type": .string(metadata.type.rawValue),
        ]
        // Only for groups: single-node documents stay as the reference's consumers know them.
        if metadata.nodeCount > 1 { fields["node_count"] = .int(metadata.nodeCount) }
        return .mapping(fields)
    }

    public enum Format: String, CaseIterable, Sendable {
        case text, json, yaml
    }

    /// - Parameter presence: what of the model is on disk (`ModelPresence.inspect`).
    public static func render(_ plan: LaunchSpec, presence: ModelPresence, format: Format) throws -> String {
        switch format {
        case .json: return JSONWriter.write(document(plan, presence: presence), style: .indented) + "\n"
        case .yaml:
            let yaml = try YAMLWriter.write(document(plan, presence: presence))
            return yaml.hasSuffix("\n") ? yaml : yaml + "\n"
        case .text: return text(plan, presence: presence)
        }
    }

    /// Comment lines, then the environment and the command, each argument shell-quoted.
    private static func text(_ plan: LaunchSpec, presence: ModelPresence) -> String {
        let profile = plan.profile
        // Ids, paths and model names come from files and the environment: comments escape them, so none ends its line.
        var lines = [
            ShellQuoting.comment(
                "profile: \(profile.id) (\(profile.source.rawValue): \(profile.location.relativePath))\(plan.selection.forced ? " [forced by AIM_PROFILE_ID]" : "")"
            ),
            ShellQuoting.comment("gpu: \(plan.gpu.count)x \(plan.gpu.model.rawValue) (from \(plan.gpu.source))"),
            ShellQuoting.comment(
                "model: \(plan.model.id) (\(plan.model.source.rawValue)); "
                    + cacheSummary(plan.model, presence: presence)),
            ShellQuoting.comment(
                "engine: \(plan.engine.installation.kind.rawValue)"
                    + (plan.engine.installation.version.map { " \($0)" } ?? "")
                    + "; \(plan.engine.entrypoint.reason)"),
            ShellQuoting.comment(
                "memory: "
                    + (plan.memory.map { "\($0.verdict.rawValue): \($0.reason)" }
                        ?? "not estimated (AIM_MEMORY_CHECK=off)")),
            plan.servesAPI
                ? ShellQuoting.comment(
                    "ready when 127.0.0.1:\(plan.readiness.port)\(plan.readiness.modelsPath) lists \(plan.readiness.modelName)"
                        + (plan.group == nil ? "" : ", which the engine serves once every node has joined"))
                : ShellQuoting.comment("ready while the engine runs: a headless worker serves no API"),
        ]
        if let group = plan.group { lines.append(contentsOf: GroupPlanReport.comments(group)) }
        for (key, value) in SecretRedaction.redact(environment: plan.command.environment) {
            lines.append(ShellQuoting.exportLine(name: key, value: value))
        }
        lines.append(ShellQuoting.join(SecretRedaction.redact(argv: plan.command.argv)))
        return lines.joined(separator: "\n") + "\n"
    }
}
