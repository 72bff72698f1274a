import AIMCore
import AIMReports
import AIMTestSupport
import Foundation
import Testing

/// One mapping from any error to a documented status, and one line on stderr, whatever the message holds.
@Suite struct ErrorReportTests {
    @Test func domainErrorsKeepTheirStatusAndMessage() {
        let error = AIMError(.modelNotFound, "org/model does not exist")
        #expect(ErrorReport.classify(error) == error)
    }

    @Test func fileErrorsNameThePathAndTheProblemNotFoundationsDump() {
        let error = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/cache/hub"])
        let mapped = ErrorReport.classify(error)
        #expect(mapped.status == .failure)
        #expect(mapped.message.contains("/cache/hub"))
        #expect(mapped.message.contains("permission denied"))
        #expect(!mapped.message.contains("NSCocoaErrorDomain"))
        #expect(!mapped.message.contains("Error Domain"))
    }

    @Test func unknownErrorsShowNoneOfTheirText() {
        struct LibraryError: Error, CustomStringConvertible {
            var description: String { "LibraryError(url: https://user:secret@example.com)" }
        }
        let mapped = ErrorReport.classify(LibraryError())
        #expect(mapped.status == .failure)
        #expect(!mapped.message.contains("secret"))
        #expect(!mapped.message.contains("LibraryError"))
    }

    @Test func theLineIsAlwaysOneLine() {
        let line = ErrorReport.line(AIMError(.configuration, "AIM_X='a\nb\r\u{1B}[31mc\u{0}d\u{2028}e' is not valid"))
        #expect(line == "error: AIM_X='a\\nb\\r\\u{1B}[31mc\\u{0}d\\u{2028}e' is not valid\n")
    }

    @Test func textWithoutControlsIsUnchanged() {
        #expect(OneLineText.escape("ümlaut → ok 'quoted' \\ backslash") == "ümlaut → ok 'quoted' \\ backslash")
    }
}
