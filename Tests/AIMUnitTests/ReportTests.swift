import AIMCore
import AIMProfiles
import AIMReports
import AIMSelection
import AIMTestSupport
import Testing

@Suite struct ReportTests {
    func report(rows: [ProfileListing]) throws -> ProfileListReport {
        let heading = ProfileListHeading(
            aimID: "org/model", modelID: nil, engine: .vllm, metric: .latency, precision: nil, profileRoot: "/p")
        return ProfileListReport(
            heading: heading, gpu: GPUTarget(model: .mi300x, count: 1, source: "AIM_GPU_MODEL"), rows: rows,
            selectionProblem: nil)
    }

    func rows() throws -> [ProfileListing] {
        let location = ProfileLocation(path: "/p/org/model/a.yaml", relativePath: "org/model/a.yaml", searchPriority: 2)
        let profile = try ProfileValidator().validate(text: ProfileFixture.yaml(), location: location)
        let assessment = ProfileAssessment(profile: profile, state: .compatible, reason: "", manualOnly: false)
        let broken = InvalidProfile(id: "custom/b", location: location, message: "custom/b.yaml:1: broken")
        return ProfileListing.rows(assessments: [assessment], invalid: [broken], selectedID: "a")
    }

    @Test func tableIsColouredOnlyWhenAsked() throws {
        let report = try report(rows: try rows())
        #expect(report.render(format: .table, colour: true).contains("\u{1B}[92m"))
        #expect(!report.render(format: .table, colour: false).contains("\u{1B}["))
    }

    @Test func tableMarksTheChoiceAndShowsInvalidFiles() throws {
        let table = try report(rows: try rows()).render(format: .table, colour: false)
        #expect(table.contains("*  a "))
        #expect(table.contains("custom/b.yaml:1: broken"))
        #expect(table.hasSuffix("Would select: a\n"))
    }
}
