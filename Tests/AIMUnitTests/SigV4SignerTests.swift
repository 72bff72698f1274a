import AIMModelStore
import AIMTestSupport
import Foundation
import Testing

/// AWS's published Signature V4 examples.
@Suite struct SigV4SignerTests {
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    let suite = SigV4Signer(
        credentials: AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    let s3 = SigV4Signer(
        credentials: AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")

    /// aws-sig-v4-test-suite: get-vanilla and get-vanilla-query-order-key-case.
    @Test(arguments: [
        ("https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        (
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
    ])
    func testSuiteVectors(url: String, signature: String) {
        let headers = suite.sign(
            method: "GET", url: URL(string: url)!, date: Self.date("2015-08-30T12:36:00Z"), includeContentHash: false)
        #expect(
            headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(signature)"
        )
        #expect(headers["X-Amz-Date"] == "20150830T123600Z")
    }

    /// The S3 documentation's GET Object (with Range) and ListObjects examples.
    @Test func s3DocumentationExamples() {
        let object = s3.sign(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!,
            headers: ["Range": "bytes=0-9"], date: Self.date("2013-05-24T00:00:00Z"))
        #expect(
            object["Authorization"]?.hasSuffix(
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
            ) == true)
        let list = s3.sign(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")!,
            date: Self.date("2013-05-24T00:00:00Z"))
        #expect(
            list["Authorization"]?.hasSuffix(
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func sessionTokensAreSignedAndCredentialsFileIsRead() throws {
        let withToken = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "S", sessionToken: "T"), region: "eu-west-1")
        let headers = withToken.sign(method: "GET", url: URL(string: "http://127.0.0.1:9000/b/k")!)
        #expect(headers["X-Amz-Security-Token"] == "T")
        #expect(headers["Authorization"]?.contains("x-amz-security-token") == true)
        let home = try TemporaryDirectory()
        try home.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n\n[ci]\naws_access_key_id=C\naws_secret_access_key=CS\n"
        )
        #expect(
            AWSCredentials.resolve(environment: ["HOME": home.path])
                == AWSCredentials(accessKeyID: "D", secretAccessKey: "DS"))
        #expect(AWSCredentials.resolve(environment: ["HOME": home.path, "AWS_PROFILE": "ci"])?.accessKeyID == "C")
        #expect(
            AWSCredentials.resolve(environment: [
                "HOME": home.path, "AWS_ACCESS_KEY_ID": "E", "AWS_SECRET_ACCESS_KEY": "ES",
            ])?.accessKeyID == "E")
    }
}
