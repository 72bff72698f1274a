import AIMCore
import AIMHost
import Foundation
import OrderedCollections

/// `aim-runtime doctor`: one row per check, as a table or as the documented JSON (docs/doctor.md).
public enum DoctorReportView {
    public enum Format: String, CaseIterable, Sendable {
        case table, json
    }

    public static func render(_ checks: [HostCheck], format: Format) -> String {
        switch format {
        case .json: return JSONWriter.write(document(checks), style: .indented) + "\n"
        case .table: return table(checks)
        }
    }

    /// `{"checks": [{"id", "status", "message", "fix"}]}`; `fix` is "" when there is nothing to fix.
    public static func document(_ checks: [HostCheck]) -> StructuredValue {
        .mapping([
            "checks": .list(
                checks.map { check in
                    .mapping([
                        "id": .string(check.id.rawValue),
                        "status": .string(check.status.rawValue),
                        "message": .string(check.message),
                        "fix": .string(check.fix),
                    ])
                })
        ])
    }

    /// `STATUS  ID  MESSAGE — fix: FIX`, one line a check, every value escaped to one line.
    private static func table(_ checks: [HostCheck]) -> String {
        let width = checks.map(\.id.rawValue.count).max() ?? 0
        var lines = checks.map { check in
            let status = check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
            let id = check.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            let fix = check.fix.isEmpty ? "" : " — fix: " + OneLineText.escape(check.fix)
            return "\(status)  \(id)  \(OneLineText.escape(check.message))\(fix)"
        }
        let count = { (status: CheckStatus) in checks.filter { $0.status == status }.count }
        lines.append("\(count(.ok)) ok, \(count(.warn)) warn, \(count(.fail)) fail")
        return lines.joined(separator: "\n") + "\n"
    }
}
