import AIMCommands
import AIMConfiguration
import AIMCore
import AIMReports
import AIMSupervisor
import AIMTestSupport
import Foundation
import OrderedCollections
import Testing

/// Settings from outside are range-checked and free of control characters before anything uses them.
@Suite struct ConfigurationBoundsTests {
    let loader = ConfigurationLoader(bundledProfileRoot: "/bundled/profiles", directoryExists: { _ in false })

    func failure(_ environment: [String: String]) -> AIMError? {
        do {
            _ = try loader.load(
                ConfigurationInput(environment: ["AIM_ID": "org/model"].merging(environment) { $1 }), requireModel: true
            )
            return nil
        } catch {
            return error as? AIMError
        }
    }

    @Test(arguments: [
        ("AIM_DOWNLOAD_CHUNK_MIB", "99999999999999"), ("AIM_DOWNLOAD_CHUNK_MIB", "4097"),
        ("AIM_DOWNLOAD_CONNECTIONS", "0"),
        ("AIM_DOWNLOAD_CONNECTIONS", "257"), ("AIM_DOWNLOAD_MAX_CONNECTIONS", "0"),
        ("AIM_DOWNLOAD_MAX_CONNECTIONS", "257"),
        ("AIM_STARTUP_TIMEOUT_SECONDS", "999999999999999999"),
        ("AIM_HEALTH_INTERVAL_SECONDS", "3601"), ("AIM_HEALTH_FAILURE_THRESHOLD", "0"), ("AIM_MAX_RESTARTS", "1001"),
        ("AIM_SHUTDOWN_GRACE_SECONDS", "1e3"), ("AIM_GPU_DETECT_TIMEOUT_SECONDS", "-1"),
        ("AIM_DOWNLOAD_STALL_SECONDS", "inf"),
        ("AIM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS", "nan"), ("AIM_GPU_COUNT", "1025"), ("AIM_GPU_COUNT", "1e30"),
        ("AIM_PORT", "99999999999999999999"), ("AIM_PORT", "0"),
        // No 0 to turn the silence report off; fewer than 10 s would report every pause of a normal start.
        ("AIM_STARTUP_SILENCE_SECONDS", "0"), ("AIM_STARTUP_SILENCE_SECONDS", "9"),
        ("AIM_STARTUP_SILENCE_SECONDS", "86401"),
    ])
    func numbersOutsideTheirRangeAreConfigurationErrors(variable: String, value: String) throws {
        let error = try #require(failure([variable: value]))
        #expect(error.status == .configuration)
        #expect(error.message.hasPrefix("\(variable)='\(value)' is not valid: expected"))
    }

    /// `/cache/` and `/cache` are one directory: paths built under it must compare equal.
    @Test func theCachePathLosesItsTrailingSlashes() throws {
        for (given, expected) in [("/cache/", "/cache"), ("/cache//", "/cache"), ("/", "/"), ("/cache", "/cache")] {
            let configuration = try loader.load(
                ConfigurationInput(environment: ["AIM_ID": "org/model", "AIM_CACHE_PATH": given]), requireModel: true)
            #expect(configuration.cachePath == expected)
        }
    }

    @Test(arguments: [
        ("AIM_MEMORY_CHECK", "maybe"), ("AIM_MEMORY_CHECK", "strict;rm"), ("AIM_AUTO_MAX_MODEL_LEN", "perhaps"),
        ("AIM_PREFLIGHT", "sometimes"),
    ])
    func choicesOutsideTheirSetAreConfigurationErrors(variable: String, value: String) throws {
        let error = try #require(failure([variable: value]))
        #expect(error.status == .configuration)
        #expect(error.message.hasPrefix("\(variable)='\(value)' is not valid"), "\(error.message)")
    }

    @Test func rangesIncludeTheirEnds() throws {
        let configuration = try loader.load(
            ConfigurationInput(environment: [
                "AIM_ID": "org/model", "AIM_DOWNLOAD_CHUNK_MIB": "4096", "AIM_DOWNLOAD_CONNECTIONS": "1",
                "AIM_MAX_RESTARTS": "0",
                "AIM_GPU_COUNT": "1024", "AIM_STARTUP_TIMEOUT_SECONDS": "604800", "AIM_STARTUP_SILENCE_SECONDS": "10",
            ]), requireModel: true)
        #expect(configuration.startupSilenceSeconds == 10)
        #expect(configuration.downloadChunkMiB == 4096)
        #expect(configuration.downloadConnections == 1)
        #expect(configuration.maxRestarts == 0)
        #expect(configuration.gpuCount == 1024)
        #expect(configuration.startupTimeoutSeconds == 604_800)
        let defaults = try loader.load(ConfigurationInput(environment: ["AIM_ID": "org/model"]), requireModel: true)
        #expect(defaults.startupSilenceSeconds == 300)
        #expect(defaults.supervisorSettings(servedModelName: "m").startupSilence == .seconds(300))
    }

    @Test(arguments: [
        "AIM_PRECISION", "AIM_ID", "AIM_CACHE_PATH", "AIM_STATUS_PATH", "AIM_CUSTOM_MODEL_NAME", "AIM_PROFILE_ID",
    ])
    func controlCharactersAreRejected(variable: String) throws {
        for value in ["fp8\nerror: forged", "org/\u{1B}[2Jmodel", "a\u{7F}b", "a\u{2028}b", "a\tb"] {
            let error = try #require(failure([variable: value]))
            #expect(error.status == .configuration)
            #expect(error.message.contains("contains a control character"))
            #expect(ErrorReport.line(error).split(separator: "\n").count == 1)
        }
    }

    @Test func engineArgumentsMaySpanLines() throws {
        let configuration = try loader.load(
            ConfigurationInput(environment: [
                "AIM_ID": "org/model", "AIM_ENGINE_ARGS": "{\n\t\"max-model-len\": 8192\r\n}",
            ]), requireModel: true)
        #expect(configuration.engineArgs?["max-model-len"] == .int(8192))
        #expect(failure(["AIM_ENGINE_ARGS": "{\"a\": 1}\u{1}"])?.status == .configuration)
    }

    @Test(arguments: [
        #"{"foo": 1e400}"#, #"{"foo": [1, -1e999]}"#, #"{"foo": {"a": 1e400}}"#, #"{"": 1}"#, #"{"a b": 1}"#,
        #"{"x": "a\u0007"}"#,
    ])
    func engineArgumentsThatNoEngineCouldMeanFailWhenTheConfigurationLoads(json: String) throws {
        let error = try #require(failure(["AIM_ENGINE_ARGS": json]))
        #expect(error.status == .configuration)
        #expect(error.message.hasPrefix("AIM_ENGINE_ARGS is not valid: "))
    }

    @Test func aProfileRootThatIsMissingOrAFileIsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("file", "x")
        let missing = try #require(failure(["AIM_PROFILE_BASE_PATH": directory.path + "/nowhere"]))
        #expect(missing.message.contains("AIM_PROFILE_BASE_PATH='\(directory.path)/nowhere' does not exist"))
        let notDirectory = try #require(failure(["AIM_PROFILE_BASE_PATH": file]))
        #expect(notDirectory.message.contains("is not a directory"))
        #expect(failure(["AIM_PROFILE_BASE_PATH": directory.path]) == nil)
    }

    @Test func globsAreBounded() throws {
        #expect(failure(["AIM_DOWNLOAD_INCLUDE": "*.json,*.safetensors"]) == nil)
        #expect(failure(["AIM_DOWNLOAD_INCLUDE": String(repeating: "*a", count: 9)])?.status == .configuration)
        #expect(failure(["AIM_DOWNLOAD_EXCLUDE": String(repeating: "x", count: 257)])?.status == .configuration)
        #expect(
            failure(["AIM_DOWNLOAD_EXCLUDE": Array(repeating: "*.bin", count: 65).joined(separator: ",")])?.status
                == .configuration)
    }

    @Test func aHugeValueIsShortenedInTheMessage() throws {
        let error = try #require(failure(["AIM_PRECISION": String(repeating: "x", count: 100_000)]))
        #expect(error.message.count < 400)
    }
}
