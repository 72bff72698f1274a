import AIMCore
import AIMTestSupport
import OrderedCollections
import Testing

@Suite struct JSONParserTests {
    @Test func keepsKeyOrderAndTypes() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2.5, "m": [true, false, null, "s\u00e9\n"], "o": {}}"#)
        guard case .mapping(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(Array(object.keys) == ["z", "a", "m", "o"])
        #expect(object["z"] == .int(1))
        #expect(object["a"] == .double(2.5))
        #expect(object["m"] == .list([.bool(true), .bool(false), .null, .string("sé\n")]))
        #expect(object["o"] == .mapping([:]))
    }

    @Test func repeatedKeysKeepTheFirstPlaceAndTheLastValue() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value == .mapping(["a": .int(3), "b": .int(2)]))
    }

    @Test(arguments: ["{a: 1}", "{\"a\": 1,}", "[1 2]", "{\"a\": 01}", "\"unterminated", "{\"a\": 1} x", "", "nul"])
    func rejectsWhatIsNotJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }
}
