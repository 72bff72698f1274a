import AIMCore
import AIMModelStore
import AIMTestSupport
import Foundation
import Testing

/// The store's readers of outside data (the fuzz targets' entry points) on hostile and odd but valid input.
@Suite struct OutsideDataParserTests {
    @Test(arguments: [
        ("123", Int64?(123)), ("0", 0), (" 42 ", 42), ("9223372036854775807", .max), ("9223372036854775808", nil),
        ("-1", nil), ("+5", nil), ("1e3", nil), ("inf", nil), ("nan", nil), ("", nil),
        ("12345678901234567890123456", nil),
        ("١٢", nil), ("0x10", nil),
    ])
    func contentLength(_ text: String, _ expected: Int64?) {
        #expect(HTTPHeaderValues.contentLength(text) == expected)
    }

    @Test func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_445_412_400)  // Wed, 21 Oct 2015 07:26:40 GMT
        #expect(HTTPHeaderValues.retryAfter("120", now: now) == 120)
        #expect(HTTPHeaderValues.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 80)
        #expect(HTTPHeaderValues.retryAfter("Wed, 21 Oct 2015 07:20:00 GMT", now: now) == 0)
        #expect(
            HTTPHeaderValues.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now: now) == HTTPHeaderValues.maximumRetryAfter
        )
        #expect(
            HTTPHeaderValues.retryAfter("99999999999999999999999999", now: now) == HTTPHeaderValues.maximumRetryAfter)
        for bad in [
            "-1", "inf", "nan", "1e400", "1.5", "", "Wed, 99 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
            "soon",
        ] {
            #expect(HTTPHeaderValues.retryAfter(bad, now: now) == nil, "\(bad)")
        }
    }

    @Test func etag() {
        #expect(HTTPHeaderValues.etag("W/\"abc\"") == "abc")
        #expect(HTTPHeaderValues.etag("\"d41d8cd98f00b204e9800998ecf8427e\"") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(HTTPHeaderValues.etag("\"\"") == nil)
        #expect(HTTPHeaderValues.etag("a\u{0}b") == nil)
        #expect(HTTPHeaderValues.etag(String(repeating: "a", count: 2000)) == nil)
    }

    @Test func s3EntitiesAreDecodedInOnePass() throws {
        let xml = """
            <ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>a&amp;b</NextContinuationToken>
            <Contents><Key>m/a&amp;lt;b.bin</Key><Size>5</Size><ETag>&#34;5d41402abc4b2a76b9719d911017c592&#x22;</ETag></Contents>
            <Contents><Key><![CDATA[m/</Key>&amp;.txt]]></Key><Size>7</Size><ETag>&quot;x-2&quot;</ETag></Contents>
            </ListBucketResult>
            """
        let page = try S3ListingParser.parse(xml)
        #expect(
            page.objects == [
                S3Object(key: "m/a&lt;b.bin", size: 5, etag: "5d41402abc4b2a76b9719d911017c592"),
                S3Object(key: "m/</Key>&amp;.txt", size: 7, etag: "x-2"),
            ])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "a&b")
        #expect(page.errorCode == nil)
    }

    @Test(arguments: ["-1", "99999999999999999999999999", "1e30", "inf", "", "nan", "1.5"])
    func s3SizesThatAreNotByteCountsAreAnswerErrors(_ size: String) {
        #expect(throws: TransferFailure.self) {
            try S3ListingParser.parse("<Contents><Key>k</Key><Size>\(size)</Size></Contents>")
        }
    }

    @Test func s3ErrorCodeAndJunk() throws {
        #expect(try S3ListingParser.parse("<Error><Code>NoSuchBucket</Code></Error>").errorCode == "NoSuchBucket")
        for junk in [
            "", "<", "<Contents>", "<Contents><Key>k", "&#xFFFFFFFF;&#0;&#55296;&#;&#x;&", "<![CDATA[",
            "<Key><![CDATA[</Key>",
        ] {
            _ = try? S3ListingParser.parse(junk)
        }
        #expect(
            try S3ListingParser.parse("<Contents><Key>&#xD800;&#99999999;&bogus;</Key><Size>1</Size></Contents>")
                .objects.first?.key == "&#xD800;&#99999999;&bogus;")
    }

    @Test func hubListing() throws {
        let json =
            #"{"sha":"abc","siblings":[{"rfilename":"a.bin","size":10,"lfs":{"sha256":"ff","size":10}},{"rfilename":"b.txt","lfs":{"size":3}},{"rfilename":"c"}]}"#
        let snapshot = try HubListingParser.parse(json, repo: "o/m", revision: "main")
        #expect(snapshot.commit == "abc")
        #expect(snapshot.files.map(\.size) == [10, 3, nil])
        #expect(snapshot.totalBytes == 13)
    }

    @Test(arguments: ["-1", "1e30", "1.5", "\"10\"", "123456789012345678901234567", "true"])
    func hubSizesThatAreNotByteCountsAreAnswerErrors(_ size: String) {
        #expect(throws: TransferFailure.self) {
            try HubListingParser.parse(
                #"{"siblings":[{"rfilename":"a","size":\#(size)}]}"#, repo: "o/m", revision: "main")
        }
    }

    @Test func hubSizeSumsDoNotOverflow() throws {
        let json =
            #"{"siblings":[{"rfilename":"a","size":9223372036854775807},{"rfilename":"b","size":9223372036854775807}]}"#
        #expect(try HubListingParser.parse(json, repo: "o/m", revision: "main").totalBytes == nil)
        #expect(try HubListingParser.parse(#"{"siblings":[1,"x",{}]}"#, repo: "o/m", revision: "main").files.isEmpty)
        for junk in ["", "[]", "null", "{\"siblings\":3}", "{"] {
            #expect(throws: TransferFailure.self, "\(junk)") {
                try HubListingParser.parse(junk, repo: "o/m", revision: "main")
            }
        }
    }

    @Test(arguments: [
        "org/mo\u{1B}[31mdel", "org/model@ma\u{0}in", "s3://bucket/a\nb", "/models/\u{7F}x",
        String(repeating: "a", count: 5000),
    ])
    func modelReferencesWithControlCharactersAreRefusedOnOneLine(_ text: String) {
        do {
            _ = try ModelReference.parse(text)
            Issue.record("accepted \(text.debugDescription)")
        } catch let error as AIMError {
            #expect(error.status == .configuration)
            #expect(
                !error.message.unicodeScalars.contains { $0.properties.generalCategory == .control },
                "\(error.message.debugDescription)")
            #expect(error.message.count < 600)
        } catch {
            Issue.record("\(error)")
        }
    }
}
