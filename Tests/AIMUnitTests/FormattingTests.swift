import AIMCore
import AIMTestSupport
import OrderedCollections
import Testing

@Suite struct FormattingTests {
    @Test(arguments: [
        (0.9, "0.9"), (2.0, "2.0"), (1e-05, "1e-05"), (0.0001, "0.0001"), (32768.0, "32768.0"),
        (1e16, "1e+16"), (1.5e16, "1.5e+16"), (123456789012345.6, "123456789012345.6"), (-0.5, "-0.5"),
        (1e-7, "1e-07"), (0.1 + 0.2, "0.30000000000000004"), (1e22, "1e+22"),
        (9999999999999998.0, "9999999999999998.0"),
    ])
    func floatsPrintLikePython(value: Double, expected: String) {
        #expect(PythonFormatting.floatRepr(value) == expected)
    }

    @Test func containersPrintLikePython() {
        let value: StructuredValue = .list([.int(1), .string("a"), .double(2.5), .bool(true), .null, .string("it's")])
        #expect(PythonFormatting.str(value) == "[1, 'a', 2.5, True, None, \"it's\"]")
        #expect(PythonFormatting.str(.mapping(["k": .bool(false)])) == "{'k': False}")
        #expect(PythonFormatting.str(.string("plain")) == "plain")
    }

    @Test func jsonMatchesPythonDumps() {
        let value: StructuredValue = .mapping(["type": .string("linear"), "factor": .double(2.0), "é": .list([.null])])
        #expect(JSONWriter.write(value) == "{\"type\": \"linear\", \"factor\": 2.0, \"\\u00e9\": [null]}")
        #expect(JSONWriter.write(.list([]), style: .indented) == "[]")
        #expect(JSONWriter.write(.mapping(["a": .int(1)]), style: .indented) == "{\n  \"a\": 1\n}")
    }

    @Test func shellQuotingFollowsShlex() {
        #expect(ShellQuoting.quote("--max-model-len") == "--max-model-len")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("{\"a\": 1}") == "'{\"a\": 1}'")
        #expect(ShellQuoting.quote("it's") == "'it'\"'\"'s'")
    }

    @Test func secretsAreRedactedButLookalikesAreNot() {
        let argv = ["python", "--hf-token", "hf_abc", "--max-num-batched-tokens", "1024", "--api-key=xyz"]
        #expect(
            SecretRedaction.redact(argv: argv) == [
                "python", "--hf-token", "***", "--max-num-batched-tokens", "1024", "--api-key=***",
            ])
        let environment = SecretRedaction.redact(environment: [
            (key: "HF_TOKEN", value: "x"), (key: "HF_TOKEN_PATH", value: "/p"),
        ])
        #expect(environment.map(\.value) == ["***", "/p"])
    }
}
