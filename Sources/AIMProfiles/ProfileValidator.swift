import AIMCore
import OrderedCollections

/// Turns a profile file's text into a `Profile`, or says exactly what is wrong with it.
///
/// The rules are those of the reference's JSON schemas, with two tightenings:
/// `gpu_count` must be 1, 2, 4 or 8, and `engine` may also be `sglang`. The optional `node_count` (1 to 64) is
/// aim-runtime's: a profile for a group of nodes, each with `gpu_count` GPUs.
public struct ProfileValidator: Sendable {
    public static let allowedGPUCounts = [1, 2, 4, 8]
    public static let allowedNodeCounts = 1...NodeGroup.maxSize

    public init() {}

    public func validate(text: String, location: ProfileLocation) throws -> Profile {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(parsing: text)
        } catch let error as YAMLDocument.SyntaxError {
            throw ProfileValidationError(
                file: location.relativePath, line: error.line, field: nil,
                problem: (error.isLimit ? "" : "YAML syntax error: ") + error.problem)
        }
        var check = FieldCheck(file: location.relativePath, lines: document.lines)
        guard case .mapping(let root) = document.value else {
            throw check.failure(
                nil, "expected a mapping with metadata, engine_args and env_vars, got \(document.value.kindDescription)"
            )
        }
        do {
            return try validate(root: root, document: document, text: text, location: location, check: &check)
        } catch var error as ProfileValidationError {
            // An invalid custom profile is still listed under its aim_id, without parsing the file again.
            error.aimID = root["aim_id"]?.stringValue
            throw error
        }
    }

    private func validate(
        root: OrderedDictionary<String, StructuredValue>, document: YAMLDocument, text: String,
        location: ProfileLocation,
        check: inout FieldCheck
    ) throws -> Profile {
        let metadata = try readMetadata(root, check: &check)
        var aimID = ""
        var modelID = ""
        if !location.isGeneral {
            aimID = try check.requiredString(
                root, "aim_id", hint: "the AIM id this profile belongs to, e.g. meta-llama/Llama-3.1-8B-Instruct")
            modelID = try check.requiredString(
                root, "model_id", hint: "the model to load, e.g. meta-llama/Llama-3.1-8B-Instruct")
        }
        let engineArgs = try check.requiredMapping(root, "engine_args")
        let envVars = try check.requiredMapping(root, "env_vars")
        try checkEnvironment(envVars, check: check)
        if let problem = EngineArgsValidator.firstProblem(in: engineArgs, engine: metadata.engine) {
            throw check.failure("engine_args.\(problem.flag)", problem.reason)
        }
        try checkParallelism(engineArgs, metadata: metadata, check: check)
        return Profile(
            id: location.profileID(aimID: aimID), location: location, aimID: aimID, modelID: modelID,
            metadata: metadata, engineArgs: engineArgs, envVars: envVars, rawText: text, document: document.value)
    }

    private func readMetadata(
        _ root: OrderedDictionary<String, StructuredValue>, check: inout FieldCheck
    ) throws -> ProfileMetadata {
        let block = try check.requiredMapping(root, "metadata")
        let gpuCountValue = try check.required(block, "metadata.gpu_count", key: "gpu_count")
        guard let gpuCount = FlagRule.integerValue(gpuCountValue), Self.allowedGPUCounts.contains(gpuCount) else {
            throw check.failure(
                "metadata.gpu_count", "expected one of 1, 2, 4, 8, got \(PythonFormatting.str(gpuCountValue))")
        }
        let manualValue = try check.required(block, "metadata.manual_selection_only", key: "manual_selection_only")
        guard case .bool(let manual) = manualValue else {
            throw check.failure(
                "metadata.manual_selection_only", "expected true or false, got \(manualValue.kindDescription)")
        }
        var nodeCount = 1
        if let nodeValue = block["node_count"] {
            guard let count = FlagRule.integerValue(nodeValue), Self.allowedNodeCounts.contains(count) else {
                throw check.failure(
                    "metadata.node_count",
                    "expected a whole number of nodes from 1 to \(NodeGroup.maxSize), got \(PythonFormatting.str(nodeValue))"
                )
            }
            nodeCount = count
        }
        return ProfileMetadata(
            engine: try check.choice(block, "engine", EngineKind.allCases),
            gpu: try check.choice(block, "gpu", GPUModel.profileValues),
            precision: try check.choice(block, "precision", Precision.allCases),
            gpuCount: gpuCount,
            metric: try check.choice(block, "metric", Metric.allCases),
            manualSelectionOnly: manual,
            type: try check.choice(block, "type", ProfileType.allCases), nodeCount: nodeCount)
    }

    /// A group's engine arguments must span the group's GPUs: otherwise the engines wait for ranks that never
    /// come, or leave GPUs idle. Single-node profiles are not checked, as the reference does not check them.
    private func checkParallelism(
        _ engineArgs: OrderedDictionary<String, StructuredValue>, metadata: ProfileMetadata, check: FieldCheck
    ) throws {
        let multiNode = metadata.nodeCount > 1
        // SGLang's builder renders tp-size from the profile's GPUs when it is not set.
        let parallel = ProfileParallelism(
            engineArgs, defaultTensor: metadata.engine == .sglang ? metadata.totalGPUs : 1)
        guard multiNode else { return }
        if multiNode, parallel.data > 1 {
            throw check.failure(
                "engine_args.\(parallel.dataKey ?? "data-parallel-size")",
                "data parallelism across nodes is not supported; use tensor and pipeline parallelism, whose product is node_count × gpu_count"
            )
        }
        // SGLang's dp-size shares the tensor-parallel GPUs (DP attention); vLLM's multiplies them.
        let data = metadata.engine == .vllm ? parallel.data : 1
        // Each factor comes from the file: the product must not trap.
        let (partial, overflowA) = parallel.tensor.multipliedReportingOverflow(by: parallel.pipeline)
        let (product, overflowB) = partial.multipliedReportingOverflow(by: data)
        let spanned = overflowA || overflowB ? Int.max : product
        guard spanned != metadata.totalGPUs else { return }
        var factors = ["\(parallel.tensorKey ?? "tensor-parallel-size (default)") \(parallel.tensor)"]
        if let key = parallel.pipelineKey { factors.append("\(key) \(parallel.pipeline)") }
        if let key = parallel.dataKey, data > 1 { factors.append("\(key) \(data)") }
        let wanted =
            multiNode
            ? "node_count \(metadata.nodeCount) × gpu_count \(metadata.gpuCount) = \(metadata.totalGPUs)"
            : "gpu_count \(metadata.gpuCount)"
        throw check.failure(
            parallel.tensorKey.map { "engine_args.\($0)" }
                ?? (multiNode ? "metadata.node_count" : "metadata.gpu_count"),
            "\(factors.joined(separator: " × ")) spans \(spanned) GPUs, but the profile has \(wanted); make them equal")
    }

    /// Names are shell variable names, since `dry-run` prints them after `export`; a value
    /// cannot hold NUL, which the environment cannot carry.
    private func checkEnvironment(_ envVars: OrderedDictionary<String, StructuredValue>, check: FieldCheck) throws {
        for (name, value) in envVars {
            let field = "env_vars.\(name)"
            guard ShellQuoting.isVariableName(name) else {
                throw check.failure(
                    field, "'\(name)' is not a variable name; use letters, digits and '_', not starting with a digit")
            }
            if Self.isEnvironmentName(name), value.stringValue == nil {
                let example = SecretRedaction.isSecretName(name) ? "'...'" : "'\(PythonFormatting.str(value))'"
                throw check.failure(
                    field, "expected a string, got \(value.kindDescription); quote the value, e.g. \(name): \(example)")
            }
            if PythonFormatting.str(value).unicodeScalars.contains("\u{0}") {
                throw check.failure(field, "the value holds a NUL character, which no environment variable can carry")
            }
        }
    }

    /// Variables named like `VLLM_USE_V1` must hold strings, as the reference schema says.
    static func isEnvironmentName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_")
            }
    }
}

/// Field look-ups that fail with the file, the line and the field's name.
private struct FieldCheck {
    let file: String
    let lines: [String: Int]

    func failure(_ field: String?, _ problem: String) -> ProfileValidationError {
        ProfileValidationError(file: file, line: field.flatMap { lines[$0] }, field: field, problem: problem)
    }

    func required(
        _ mapping: OrderedDictionary<String, StructuredValue>, _ field: String, key: String
    ) throws -> StructuredValue {
        guard let value = mapping[key] else {
            throw failure(field, "missing; it is required")
        }
        return value
    }

    func requiredMapping(
        _ mapping: OrderedDictionary<String, StructuredValue>, _ key: String
    ) throws -> OrderedDictionary<String, StructuredValue> {
        let value = try required(mapping, key, key: key)
        guard case .mapping(let inner) = value else {
            throw failure(key, "expected a mapping (use {} for none), got \(value.kindDescription)")
        }
        return inner
    }

    func requiredString(
        _ mapping: OrderedDictionary<String, StructuredValue>, _ key: String, hint: String
    ) throws -> String {
        guard let value = mapping[key] else {
            throw failure(key, "missing; a model profile needs \(key): \(hint)")
        }
        guard let text = value.stringValue else {
            throw failure(key, "expected a string (\(hint)), got \(value.kindDescription)")
        }
        // Both end up in the profile's id, the engine's argv and printed scripts.
        guard !OneLineText.containsControl(text) else {
            throw failure(key, "holds a control character; write it on one line (\(hint))")
        }
        return text
    }

    func choice<Value: RawRepresentable>(
        _ block: OrderedDictionary<String, StructuredValue>, _ key: String, _ options: [Value]
    ) throws -> Value
    where Value.RawValue == String {
        let field = "metadata.\(key)"
        let value = try required(block, field, key: key)
        let allowed = options.map(\.rawValue).joined(separator: ", ")
        guard let text = value.stringValue, let choice = options.first(where: { $0.rawValue == text }) else {
            throw failure(field, "expected one of \(allowed), got \(PythonFormatting.str(value))")
        }
        return choice
    }
}
