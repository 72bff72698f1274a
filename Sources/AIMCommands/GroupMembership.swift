import AIMConfiguration
import AIMCore
import AIMEngine
import AIMGroup
import AIMProfiles
import AIMSupervisor
import Logging

/// serve's part in a group of nodes: assemble it once the model is in place, and supervise as a member.
enum GroupMembership {
    /// The leader waits for every worker; a worker joins the leader. nil on a single node.
    static func assemble(
        _ spec: LaunchSpec, configuration: RuntimeConfiguration, logs: CommandLogs
    ) async throws -> (any GroupWatching)? {
        guard let group = spec.group?.group else { return nil }
        let settings = GroupSettings(
            group: group, profileID: spec.profile.id, modelID: spec.model.id,
            timeout: .seconds(configuration.groupTimeoutSeconds),
            heartbeat: .seconds(configuration.healthIntervalSeconds),
            silentBeatsLimit: configuration.healthFailureThreshold)
        let logger = logs.logger("aim_runtime.group")
        let replica = configuration.groupIndex.map { " of replica group \($0)" } ?? ""
        logger.info(
            "Rank \(group.rank) (\(group.role.rawValue)) of \(group.size) nodes\(replica); leader \(group.leaderAddress)"
        )
        switch group.role {
        case .leader: return try await GroupLeader.gather(settings, logger: logger)
        case .worker: return try await GroupWorker.join(settings, logger: logger)
        }
    }

    /// A member never restarts alone (the others cannot take it back): the group fails and is recreated
    /// as a whole. A worker has no API to probe.
    static func adapt(_ settings: inout SupervisorSettings, to group: NodeGroup, logger: Logger) {
        if settings.restartOnFailure {
            logger.warning(
                "AIM_RESTART_POLICY=on-failure does not apply to a group: a member that fails ends the group, which LeaderWorkerSet recreates (RecreateGroupOnPodRestart)"
            )
            settings.restartOnFailure = false
        }
        settings.groupRole = group.role
        settings.groupRank = group.rank
    }
}
