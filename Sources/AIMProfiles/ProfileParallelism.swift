import AIMCore
import OrderedCollections

/// How many GPUs a profile's engine arguments span: tensor × pipeline (× data, for vLLM) parallelism,
/// read under either engine's spelling.
public struct ProfileParallelism: Equatable, Sendable {
    /// The key each setting was given under, if it was.
    public let tensorKey: String?
    public let tensor: Int
    public let pipelineKey: String?
    public let pipeline: Int
    public let dataKey: String?
    public let data: Int

    /// Both engines' spellings of each setting, vLLM's first.
    static let tensorNames = ["tensor-parallel-size", "tp-size", "tp"]
    static let pipelineNames = ["pipeline-parallel-size", "pp-size", "pp"]
    static let dataNames = ["data-parallel-size", "dp-size", "dp"]

    /// vLLM's name for any spelling of a parallelism setting (dashed); nil for other settings.
    public static func vllmName(_ dashed: String) -> String? {
        [tensorNames, pipelineNames, dataNames].first { $0.contains(dashed) }?.first
    }

    /// - Parameter defaultTensor: the tensor parallelism when the arguments set none (SGLang's builder
    ///   renders the profile's GPU count; vLLM's default is 1).
    public init(_ arguments: OrderedDictionary<String, StructuredValue>, defaultTensor: Int) {
        func find(_ names: [String]) -> (key: String, value: Int)? {
            for (key, value) in arguments {
                let dashed = String(key.map { $0 == "_" ? "-" : $0 })
                if names.contains(dashed), let number = FlagRule.integerValue(value) { return (key, number) }
            }
            return nil
        }
        let tensor = find(Self.tensorNames)
        let pipeline = find(Self.pipelineNames)
        let data = find(Self.dataNames)
        tensorKey = tensor?.key
        self.tensor = tensor?.value ?? defaultTensor
        pipelineKey = pipeline?.key
        self.pipeline = pipeline?.value ?? 1
        dataKey = data?.key
        self.data = data?.value ?? 1
    }
}
