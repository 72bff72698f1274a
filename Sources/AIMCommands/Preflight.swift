import AIMCore
import AIMEngine
import AIMHost
import Logging

/// serve's preflight: doctor's fast checks (`CheckID.preflight`) before the engine starts. A failure stops
/// serve with exit 16 and one `error:` line naming the check and its fix; warnings are logged.
enum Preflight {
    static func run(_ context: CommandContext, _ stages: Stages, spec: LaunchSpec) async throws {
        let logger = stages.logs.logger("aim_runtime.preflight")
        let facts = await HostCheckSetup.facts(context, stages, spec: spec, noProfileReason: "")
        let world = HostCheckSetup.world(context, stages.configuration)
        let checks = await HostChecker(world: world, facts: facts, model: nil).run(CheckID.preflight, askHub: false)
        for check in checks where check.status == .warn {
            logger.warning("Preflight \(check.id.rawValue): \(check.message); fix: \(check.fix)")
        }
        let failed = checks.filter { $0.status == .fail }
        for check in failed.dropFirst() {
            logger.error("Preflight \(check.id.rawValue) failed: \(check.message); fix: \(check.fix)")
        }
        if let first = failed.first {
            let others = failed.dropFirst().map(\.id.rawValue)
            throw AIMError(
                .preflightFailed,
                "preflight check \(first.id.rawValue) failed: \(first.message); fix: \(first.fix)"
                    + (others.isEmpty ? "" : " (also failed: \(others.joined(separator: ", ")); see the log)")
                    + "; AIM_PREFLIGHT=off skips the checks")
        }
        logger.info(
            "Preflight: \(checks.count) host checks passed (\(checks.filter { $0.status == .warn }.count) with a warning)"
        )
    }
}
