import AIMCore
import AIMModelStore
import AIMTestSupport
import Testing

@Suite struct ModelReferenceTests {
    @Test func acceptedForms() throws {
        #expect(try ModelReference.parse("hf://org/name") == .huggingFace(repo: "org/name", revision: "main"))
        #expect(try ModelReference.parse("org/name@v1.0") == .huggingFace(repo: "org/name", revision: "v1.0"))
        #expect(try ModelReference.parse("gpt2") == .huggingFace(repo: "gpt2", revision: "main"))
        #expect(try ModelReference.parse("s3://models/org/name/") == .s3(bucket: "models", prefix: "org/name"))
        #expect(try ModelReference.parse("/models/llama") == .local(path: "/models/llama"))
        #expect(try ModelReference.parse("file:///models/llama") == .local(path: "/models/llama"))
    }

    @Test(arguments: [
        "", "gs://bucket/x", "org/../etc", "s3://b/x", "s3://bucket/a/../b", "file://relative", "org--x/y", "org/name@",
        "/a/../b", "a/b/c",
    ])
    func rejectedForms(text: String) {
        let error = #expect(throws: AIMError.self) { try ModelReference.parse(text) }
        #expect(error?.status == .configuration)
        #expect(error?.message.contains("expected hf://org/name") == true)
    }

    @Test func s3DirectoryNamesFollowTheReference() {
        #expect(S3DirectoryName.name(bucket: "b", prefix: "models/org/m", customName: nil) == "org/m")
        #expect(S3DirectoryName.name(bucket: "b", prefix: "m", customName: nil) == "m")
        #expect(S3DirectoryName.name(bucket: "bucket", prefix: "", customName: nil) == "bucket")
        #expect(S3DirectoryName.name(bucket: "b", prefix: "x/y", customName: "team/custom") == "team/custom")
    }

    @Test func defaultSelectionSkipsDuplicateWeights() {
        let files = [
            "config.json", "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
            "original/consolidated.pth", "tokenizer.json",
        ]
        #expect(
            FileSelection().select(files) == [
                "config.json", "model.safetensors", "model.safetensors.index.json", "tokenizer.json",
            ])
        #expect(FileSelection().select(["config.json", "pytorch_model.bin"]) == ["config.json", "pytorch_model.bin"])
        #expect(
            FileSelection(include: ["*.json"]).select(files) == [
                "config.json", "model.safetensors.index.json", "tokenizer.json",
            ])
        #expect(FileSelection(exclude: ["tokenizer*"]).select(files).contains("tokenizer.json") == false)
    }
}
