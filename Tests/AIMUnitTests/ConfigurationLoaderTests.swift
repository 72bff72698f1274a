import AIMConfiguration
import AIMCore
import AIMTestSupport
import Logging
import OrderedCollections
import Testing

@Suite struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader(bundledProfileRoot: "/bundled/profiles", directoryExists: { _ in false })

    func load(
        _ environment: [String: String], flags: [ConfigVariable: String] = [:], requireModel: Bool = true
    ) throws -> RuntimeConfiguration {
        try loader.load(ConfigurationInput(environment: environment, flags: flags), requireModel: requireModel)
    }

    @Test func defaultsMatchTheReference() throws {
        let configuration = try load(["AIM_ID": "org/model"])
        #expect(configuration.precision == nil)
        #expect(configuration.gpuCount == nil)
        #expect(configuration.gpuModel == .none)
        #expect(configuration.engine == .vllm)
        #expect(configuration.metric == .latency)
        #expect(configuration.port == 8000)
        #expect(configuration.cachePath == "/workspace/model-cache")
        #expect(configuration.allowGeneralFallback)
        #expect(configuration.logLevel == .info)
        #expect(configuration.logLevelRoot == .warning)
        #expect(configuration.logFormat == .text)
        #expect(configuration.profileBasePath == "/bundled/profiles")
    }

    @Test func containerProfileRootWinsWhenItExists() throws {
        let inContainer = ConfigurationLoader(
            bundledProfileRoot: "/bundled", directoryExists: { $0 == ConfigurationLoader.containerProfileRoot })
        let configuration = try inContainer.load(ConfigurationInput(environment: ["AIM_ID": "a/b"]), requireModel: true)
        #expect(configuration.profileBasePath == "/workspace/aim-runtime/profiles")
    }

    @Test func valuesAreNormalisedLikeTheReference() throws {
        let configuration = try load([
            "AIM_MODEL_ID": "Qwen/Qwen3-32B", "AIM_PRECISION": "FP8", "AIM_GPU_COUNT": " 4 ", "AIM_GPU_MODEL": "mi325x",
            "AIM_ENGINE": "AUTO", "AIM_METRIC": "Throughput", "AIM_ALLOW_GENERAL_PROFILE_FALLBACK": "No",
            "AIM_PORT": "9000",
            "AIM_ENGINE_ARGS": "{\"b\": 1, \"a\": [true, null]}", "AIM_LOG_LEVEL": "debug", "AIM_LOG_FORMAT": "JSON",
        ])
        #expect(configuration.precision == .fp8)
        #expect(configuration.gpuCount == 4)
        #expect(configuration.gpuModel == .mi325x)
        #expect(configuration.engine == .vllm)
        #expect(configuration.metric == .throughput)
        #expect(!configuration.allowGeneralFallback)
        #expect(configuration.port == 9000)
        #expect(configuration.engineArgs.map { Array($0.keys) } == ["b", "a"])
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .json)
    }

    @Test func sglangIsAccepted() throws {
        #expect(try load(["AIM_ID": "a/b", "AIM_ENGINE": "sglang"]).engine == .sglang)
    }

    @Test func emptyValuesCountAsUnset() throws {
        let configuration = try load(["AIM_ID": "a/b", "AIM_MODEL_ID": "", "AIM_ENGINE_ARGS": "", "AIM_PRECISION": ""])
        #expect(configuration.modelID == nil)
        #expect(configuration.engineArgs == nil)
        #expect(configuration.precision == nil)
    }

    @Test func aFlagBeatsItsVariable() throws {
        let configuration = try load(
            ["AIM_ID": "a/b", "AIM_PORT": "9000", "AIM_GPU_COUNT": "two"], flags: [.port: "9100", .gpuCount: "2"])
        #expect(configuration.port == 9100)
        #expect(configuration.gpuCount == 2)
    }

    @Test(arguments: [
        (["AIM_GPU_COUNT": "two"], "AIM_GPU_COUNT='two'"),
        (["AIM_GPU_COUNT": "-1"], "AIM_GPU_COUNT='-1'"),
        (["AIM_GPU_COUNT": "1.5"], "AIM_GPU_COUNT='1.5'"),
        (["AIM_PRECISION": "fp64"], "AIM_PRECISION='fp64'"),
        (["AIM_ENGINE": "tgi"], "AIM_ENGINE='tgi'"),
        (["AIM_METRIC": "speed"], "AIM_METRIC='speed'"),
        (["AIM_GPU_MODEL": "MI999"], "AIM_GPU_MODEL='MI999'"),
        (["AIM_PORT": "0"], "AIM_PORT='0'"),
        (["AIM_PORT": "65536"], "AIM_PORT='65536'"),
        (["AIM_PORT": "abc"], "AIM_PORT='abc'"),
        (["AIM_ENGINE_ARGS": "[1]"], "AIM_ENGINE_ARGS='[1]' must be a JSON object"),
        (["AIM_ENGINE_ARGS": "{bad json"], "AIM_ENGINE_ARGS='{bad json' is not valid JSON"),
        (["AIM_ALLOW_GENERAL_PROFILE_FALLBACK": "maybe"], "AIM_ALLOW_GENERAL_PROFILE_FALLBACK='maybe'"),
        (["AIM_LOG_LEVEL": "LOUD"], "AIM_LOG_LEVEL='LOUD'"),
        (["AIM_LOG_FORMAT": "xml"], "AIM_LOG_FORMAT='xml'"),
        (["AIM_ID": "../../etc"], "AIM_ID='../../etc'"),
    ])
    func badValuesAreRejectedWithTheirName(environment: [String: String], expected: String) throws {
        let error = #expect(throws: AIMError.self) {
            try load(["AIM_ID": "a/b"].merging(environment) { $1 })
        }
        #expect(error?.status == .configuration)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test func aBadFlagIsNamedByItsFlag() throws {
        let error = #expect(throws: AIMError.self) { try load(["AIM_ID": "a/b"], flags: [.precision: "fp3"]) }
        #expect(error?.message.hasPrefix("--precision='fp3'") == true)
    }

    @Test func exactlyOneModelIdentityIsRequired() throws {
        let both = #expect(throws: AIMError.self) { try load(["AIM_ID": "a/b", "AIM_MODEL_ID": "c/d"]) }
        #expect(both?.message.contains("both set") == true)
        let neither = #expect(throws: AIMError.self) { try load([:]) }
        #expect(neither?.message.contains("neither AIM_ID nor AIM_MODEL_ID") == true)
        #expect(try load([:], requireModel: false).aimID == nil)
    }
}
