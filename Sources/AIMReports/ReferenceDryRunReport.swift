import AIMCore
import AIMEngine
import AIMProfiles
import OrderedCollections

/// `dry-run`: the reference command's output, for tools that already parse it.
///
/// The JSON form is the array AMD's Kubernetes operator reads:
/// `[{"filename", "profile", "models": [{"name", "source", "size_gb"}]}]`.
/// Unlike the reference, no script file is written and an S3 model keeps its
/// `s3://` source.
public enum ReferenceDryRunReport {
    static let rule = String(repeating: "=", count: 80)

    public static func text(_ plan: LaunchSpec) -> String {
        let sections = [
            rule, "SELECTED PROFILE", rule,
            "Path: \(OneLineText.escape(plan.profile.location.path))", "",
            SecretRedaction.redact(yamlText: plan.profile.rawText), "",
            rule, "GENERATED SCRIPT", rule, "",
            script(plan.command),
        ]
        return sections.joined(separator: "\n") + "\n"
    }

    /// A bash script equivalent to the launch, with secrets hidden. It is shown, never written.
    static func script(_ command: EngineCommand) -> String {
        var lines = [
            "#!/bin/bash", "set -e", "", "# Launch script from aim-runtime dry-run (shown only; nothing was run)", "",
        ]
        let environment = SecretRedaction.redact(environment: command.environment)
        if !environment.isEmpty {
            lines.append("# Profile environment")
            lines += environment.map { ShellQuoting.exportLine(name: $0.key, value: $0.value) }
            lines.append("")
        }
        lines.append("exec " + ShellQuoting.join(SecretRedaction.redact(argv: command.argv)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Like the reference, this shows the profile file as parsed: AIM_ENGINE_ARGS,
    /// the port and the served names are not merged in.
    public static func json(_ profile: Profile?, identity: ModelIdentity, sizeGiB: Double? = nil) -> String {
        guard let profile else { return "[]\n" }
        let entry: StructuredValue = .mapping([
            "filename": .string(profile.location.path.split(separator: "/").last.map(String.init) ?? ""),
            "profile": SecretRedaction.redact(document: profile.document),
            "models": .list([modelEntry(profile, identity: identity, sizeGiB: sizeGiB)]),
        ])
        return JSONWriter.write(.list([entry]), style: .indented) + "\n"
    }

    /// The model as the operator reads it: `name` and `source` (`hf://…` or `s3://…`).
    public static func modelSource(_ profile: Profile, identity: ModelIdentity) -> (name: String, source: String) {
        let fromFile = profile.document.mappingValue?["model_id"]?.stringValue ?? ""
        var name = fromFile
        if name.isEmpty {
            name = identity.modelID ?? identity.aimID ?? ""
            if name.hasPrefix("hf://") { name = String(name.dropFirst(5)) }
        }
        return (name, name.hasPrefix("hf://") || name.hasPrefix("s3://") ? name : "hf://" + name)
    }

    /// The model from the profile file, else the configured id, with its size from the Hub or S3.
    private static func modelEntry(_ profile: Profile, identity: ModelIdentity, sizeGiB: Double?) -> StructuredValue {
        let model = modelSource(profile, identity: identity)
        return .mapping([
            "name": .string(model.name), "source": .string(model.source),
            "size_gb": sizeGiB.map(StructuredValue.double) ?? .null,
        ])
    }
}
