import AIMCore
import AIMModelStore
import AIMTestSupport
import Testing

/// A refused endpoint is named, but credentials written into it never reach the error.
@Suite struct EndpointCheckTests {
    @Test(arguments: [
        ("HF_ENDPOINT", "https://user:hf_endpointSecret1@host.example"),
        ("HF_ENDPOINT", "user:hf_endpointSecret1@host.example"),
        ("AWS_ENDPOINT_URL", "http://AKIA:hf_endpointSecret1@s3.local:9000"),
        ("AWS_ENDPOINT_URL_S3", "ftp://hf_endpointSecret1@x"),
    ])
    func credentialsInAnEndpointAreWithheldFromTheError(variable: String, value: String) throws {
        let reference: ModelReference =
            variable == "HF_ENDPOINT"
            ? try ModelReference.parse("org/model") : try ModelReference.parse("s3://bucket/model")
        do {
            try EndpointCheck.check(for: reference, environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as AIMError {
            #expect(error.status == .configuration)
            #expect(error.message.hasPrefix("\(variable)="))
            #expect(!error.message.contains("hf_endpointSecret1"), "\(error.message)")
            #expect(error.message.contains("<withheld>@"))
        }
    }
}
