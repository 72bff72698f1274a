import AIMConfiguration
import AIMEngine
import AIMModelStore
import AIMReports
import AIMSelection
import AIMSupervisor

/// The composition layer: the one place the configuration is mapped to each stage's own settings.
/// Stages never see `RuntimeConfiguration`; a new setting is wired here and nowhere else.
extension RuntimeConfiguration {
    public var gpuRequest: GPURequest {
        GPURequest(model: gpuModel, count: gpuCount)
    }

    public var modelIdentity: ModelIdentity {
        ModelIdentity(aimID: aimID, modelID: modelID)
    }

    /// What the planner needs. The shutdown timeout is rendered only where the installed engine knows the flag.
    public var launchSettings: LaunchSettings {
        var settings = LaunchSettings(
            identity: modelIdentity, gpu: gpuRequest, engine: engine, metric: metric, precision: precision,
            allowGeneralFallback: allowGeneralFallback, forcedProfileID: profileID, profileRoot: profileBasePath,
            cacheRoot: cachePath, customModelName: customModelName, port: port, engineArgs: engineArgs,
            engineShutdownTimeoutSeconds: engineShutdownTimeoutSeconds)
        settings.memoryCheck = memoryCheck
        settings.autoMaxModelLen = autoMaxModelLen
        settings.nodeCount = nodeCount
        settings.group = nodeGroup
        return settings
    }

    /// vLLM's `--shutdown-timeout`: five seconds inside the grace period, so the engine stops draining before it is killed.
    public var engineShutdownTimeoutSeconds: Int {
        max(1, shutdownGraceSeconds - 5)
    }

    public func storeSettings(
        layout: StoreSettings.Layout = .hub, verifyHashes: Bool = false, customModelName: String? = nil
    ) -> StoreSettings {
        StoreSettings(
            cacheRoot: cachePath, layout: layout, stallSeconds: downloadStallSeconds,
            connectSeconds: downloadConnectTimeoutSeconds,
            connections: downloadConnections, maxConnections: downloadMaxConnections,
            chunkSize: StoreSettings.bytes(mebibytes: downloadChunkMiB),
            verifyHashes: verifyHashes,
            selection: FileSelection(include: downloadInclude, exclude: downloadExclude),
            customModelName: customModelName ?? self.customModelName)
    }

    public func supervisorSettings(servedModelName: String) -> SupervisorSettings {
        SupervisorSettings(
            port: port, servedModelName: servedModelName, startupTimeout: .seconds(startupTimeoutSeconds),
            healthInterval: .seconds(healthIntervalSeconds), healthFailureThreshold: healthFailureThreshold,
            restartOnFailure: restartOnFailure, maxRestarts: maxRestarts, shutdownGrace: .seconds(shutdownGraceSeconds),
            logFormat: logFormat, startupSilence: .seconds(startupSilenceSeconds),
            terminationMessagePath: terminationMessagePath, statusPath: statusPath)
    }

    public var profileListHeading: ProfileListHeading {
        var heading = ProfileListHeading(
            aimID: aimID, modelID: modelID, engine: engine, metric: metric, precision: precision,
            profileRoot: profileBasePath)
        heading.nodeCount = nodeCount
        return heading
    }
}
