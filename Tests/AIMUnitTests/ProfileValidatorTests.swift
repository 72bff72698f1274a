import AIMCore
import AIMProfiles
import AIMTestSupport
import Foundation
import OrderedCollections
import Testing

@Suite struct ProfileValidatorTests {
    let location = ProfileLocation(path: "/root/org/model/p.yaml", relativePath: "org/model/p.yaml", searchPriority: 2)

    func failure(_ text: String, at location: ProfileLocation? = nil) -> ProfileValidationError? {
        #expect(throws: ProfileValidationError.self) {
            try ProfileValidator().validate(text: text, location: location ?? self.location)
        }
    }

    @Test func readsAValidProfileKeepingOrder() throws {
        let profile = try ProfileValidator().validate(
            text: ProfileFixture.yaml(
                engineArgs: "  z-flag: null\n  a-flag: 0.9\n  compilation-config: {cudagraph_mode: FULL}\n"),
            location: location)
        #expect(profile.id == "p")
        #expect(Array(profile.engineArgs.keys) == ["z-flag", "a-flag", "compilation-config"])
        #expect(profile.engineArgs["a-flag"] == .double(0.9))
        #expect(profile.metadata.impliedID == "vllm-mi300x-fp16-tp1-latency")
    }

    @Test func yamlScalarsFollowYAML11() throws {
        let document = try YAMLDocument(
            parsing: "a: yes\nb: off\nc: ~\nd: '1'\ne: 1\nf: 0.9\ng: 1e3\nh: 1.0e+3\ni: 0x10\nj:\n")
        #expect(
            document.value
                == .mapping([
                    "a": .bool(true), "b": .bool(false), "c": .null, "d": .string("1"), "e": .int(1), "f": .double(0.9),
                    "g": .string("1e3"), "h": .double(1000), "i": .int(16), "j": .null,
                ]))
    }

    @Test func syntaxErrorsNameTheLine() {
        let error = failure("metadata:\n  engine: vllm\n  gpu: [MI300X\n")
        #expect(error?.line != nil)
        #expect(error?.description.hasPrefix("org/model/p.yaml:") == true)
        #expect(error?.problem.contains("YAML syntax error") == true)
    }

    @Test func missingMetadataIsNamed() {
        let error = failure("aim_id: org/model\nmodel_id: org/model\nengine_args: {}\nenv_vars: {}\n")
        #expect(error?.field == "metadata")
        #expect(error?.problem.contains("missing") == true)
    }

    @Test func aMissingMetadataFieldIsNamed() {
        let text = ProfileFixture.yaml().replacingOccurrences(of: "  metric: latency\n", with: "")
        #expect(failure(text)?.field == "metadata.metric")
    }

    @Test func wrongEnumsNameTheFieldLineAndChoices() {
        let error = failure(ProfileFixture.yaml(gpu: "MI301X"))
        #expect(error?.field == "metadata.gpu")
        #expect(error?.line == 5)
        #expect(error?.problem.contains("MI300X") == true)
        #expect(error?.problem.contains("MI301X") == true)
        #expect(failure(ProfileFixture.yaml(precision: "float8"))?.field == "metadata.precision")
        #expect(failure(ProfileFixture.yaml(engine: "tgi"))?.field == "metadata.engine")
        #expect(failure(ProfileFixture.yaml(type: "beta"))?.field == "metadata.type")
        #expect(failure(ProfileFixture.yaml(manual: "maybe"))?.field == "metadata.manual_selection_only")
    }

    @Test(arguments: ["0", "3", "16", "two"])
    func gpuCountMustBeOneTwoFourOrEight(count: String) {
        let error = failure(ProfileFixture.yaml(gpuCount: count))
        #expect(error?.field == "metadata.gpu_count")
        #expect(error?.problem.contains("1, 2, 4, 8") == true)
    }

    @Test func engineArgTypesAreChecked() {
        let error = failure(ProfileFixture.yaml(engineArgs: "  max-model-len: '4096'\n"))
        #expect(error?.field == "engine_args.max-model-len")
        #expect(error?.problem.contains("an integer") == true)
        #expect(failure(ProfileFixture.yaml(engineArgs: "  dtype: float17\n"))?.problem.contains("float16") == true)
        #expect(
            failure(ProfileFixture.yaml(engineArgs: "  no-enable-prefix-caching: true\n"))?.field
                == "engine_args.no-enable-prefix-caching")
        #expect(throws: Never.self) {
            try ProfileValidator().validate(text: ProfileFixture.yaml(engineArgs: ""), location: location)
        }
    }

    @Test func environmentValuesMustBeStrings() {
        let error = failure(ProfileFixture.yaml(envVars: "  VLLM_USE_V1: 1\n"))
        #expect(error?.field == "env_vars.VLLM_USE_V1")
        #expect(error?.problem.contains("quote the value") == true)
    }

    @Test func engineArgsMustBeAMapping() {
        let text = ProfileFixture.yaml().replacingOccurrences(
            of: "engine_args:\n  tensor-parallel-size: 1\n", with: "engine_args:\n")
        #expect(failure(text)?.field == "engine_args")
    }

    @Test func modelProfilesNeedAimIDAndModelIDButGeneralOnesDoNot() throws {
        #expect(failure(ProfileFixture.yaml(aimID: nil))?.field == "aim_id")
        #expect(failure(ProfileFixture.yaml(modelID: nil))?.field == "model_id")
        let general = ProfileLocation(path: "/r/general/g.yaml", relativePath: "general/g.yaml", searchPriority: 3)
        let profile = try ProfileValidator().validate(text: ProfileFixture.general(), location: general)
        #expect(profile.id == "general/g")
        #expect(profile.aimID.isEmpty)
    }

    @Test func profileIDsFollowTheReferenceRules() {
        func id(_ relativePath: String, aimID: String? = "org/m") -> String {
            ProfileLocation(path: "/r/" + relativePath, relativePath: relativePath, searchPriority: 1).profileID(
                aimID: aimID)
        }
        #expect(id("custom/general/x.yaml") == "custom/general/x")
        #expect(id("custom/any/dir/x.yaml", aimID: "org/m") == "custom/org/m/x")
        #expect(id("general/x.yaml") == "general/x")
        #expect(id("org/m/x.yaml") == "x")
    }
}
