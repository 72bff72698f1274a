import AIMCore
import AIMMemory
import AIMProfiles
import Logging

/// Chooses a profile with the reference's rules, deterministically.
///
/// Filters run in the reference's order (engine, metric, model, GPU model,
/// GPU count, precision) and the first failing one names the state. Compatible
/// profiles rank by search priority, then precision (smaller first), then type
/// (optimized, preview, unoptimized, general); remaining ties break by path.
public struct ProfileSelector: Sendable {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "aim_runtime.selection")) {
        self.logger = logger
    }

    /// Verdicts for every valid profile, in catalogue order.
    public func assess(_ catalog: ProfileCatalog, for request: SelectionRequest) -> [ProfileAssessment] {
        catalog.profiles.map { assess($0, for: request) }
    }

    public func assess(_ profile: Profile, for request: SelectionRequest) -> ProfileAssessment {
        let metadata = profile.metadata
        // With the fallback off, general profiles stay listed but need AIM_PROFILE_ID.
        let manualOnly = metadata.manualSelectionOnly || (!request.allowGeneralFallback && profile.isGeneral)
        let memory = request.memoryCheck == .off ? nil : request.memory[profile.location.path]
        func verdict(_ state: CompatibilityState, _ reason: String = "") -> ProfileAssessment {
            ProfileAssessment(profile: profile, state: state, reason: reason, manualOnly: manualOnly, memory: memory)
        }
        if metadata.engine != request.engine {
            return verdict(.engineMismatch, "engine \(metadata.engine.rawValue), want \(request.engine.rawValue)")
        }
        if metadata.metric != request.metric {
            return verdict(.metricMismatch, "metric \(metadata.metric.rawValue), want \(request.metric.rawValue)")
        }
        if !profile.isGeneral && profile.aimID != request.aimID {
            return verdict(
                .modelMismatch, "for \(profile.aimID), want \(request.aimID ?? "a general profile (AIM_MODEL_ID)")")
        }
        if metadata.gpu != request.gpu.model {
            return verdict(.gpuMismatch, "gpu \(metadata.gpu.rawValue), want \(request.gpu.model.rawValue)")
        }
        // A group runs only profiles made for its size, and a single node never a multi-node one.
        if metadata.nodeCount != request.nodeCount {
            return verdict(.gpuMismatch, "node_count \(metadata.nodeCount), want \(request.nodeCount)")
        }
        if metadata.gpuCount != request.gpu.count && !request.fitsOnFewerGPUs(profile) {
            return verdict(.gpuMismatch, "gpu_count \(metadata.gpuCount), want \(request.gpu.count)")
        }
        if let precision = request.precision, metadata.precision != precision {
            return verdict(.precisionMismatch, "precision \(metadata.precision.rawValue), want \(precision.rawValue)")
        }
        if let memory, memory.verdict == .doesNotFit {
            return verdict(.insufficientMemory, "does not fit in memory: \(memory.reason)")
        }
        return manualOnly ? verdict(.manualOnly, "manual selection only (set AIM_PROFILE_ID)") : verdict(.compatible)
    }

    /// Compatible and manual-only profiles, best first. Where a base AIM's model fits on fewer GPUs than
    /// there are, the fewest GPUs (smallest tensor parallelism) rank first after the search priority.
    public func rank(_ assessments: [ProfileAssessment], request: SelectionRequest? = nil) -> [ProfileAssessment] {
        let byGPUs = request.map { request in assessments.contains { request.fitsOnFewerGPUs($0.profile) } } ?? false
        return
            assessments
            .filter { $0.state == .compatible || $0.state == .manualOnly }
            .sorted { lhs, rhs in
                Self.rankKey(lhs.profile, byGPUs: byGPUs, request: request).lexicographicallyPrecedes(
                    Self.rankKey(rhs.profile, byGPUs: byGPUs, request: request))
            }
    }

    private static func rankKey(_ profile: Profile, byGPUs: Bool, request: SelectionRequest?) -> [RankComponent] {
        [
            .number(profile.location.searchPriority),
            .number(request?.precisionDiffersFromModel(profile) == true ? 1 : 0),
            .number(byGPUs ? profile.metadata.gpuCount : 0),
            .number(profile.metadata.precision.rank),
            .number(profile.metadata.type.rank),
            .text(profile.location.relativePath),
        ]
    }

    /// Chooses the profile, or fails with the exit status that says why.
    public func select(
        from catalog: ProfileCatalog, for request: SelectionRequest, forcedID: String?
    ) throws -> Selection {
        let assessments = assess(catalog, for: request)
        if let forcedID {
            let profile = try forcedProfile(forcedID, in: catalog)
            try checkForcedMemory(profile, request: request)
            return Selection(profile: profile, forced: true, assessments: assessments)
        }
        let ranked = rank(assessments, request: request)
        logger.debug(
            "Ranked candidates: \(ranked.map { "\($0.profile.id)(prio=\($0.profile.location.searchPriority))" })")
        guard let chosen = ranked.first(where: { $0.state == .compatible }) else {
            throw AIMError(
                .noCompatibleProfile, noMatchMessage(assessments, invalidCount: catalog.invalid.count, request: request)
            )
        }
        logger.info("Selected profile: \(chosen.profile.location.path)")
        if chosen.profile.metadata.gpuCount < request.gpu.count, request.fitsOnFewerGPUs(chosen.profile) {
            logger.info(
                "The model fits on \(chosen.profile.metadata.gpuCount) of the \(request.gpu.count) GPUs with its full context, the smallest tensor parallelism of the general profiles that does; set AIM_GPU_COUNT to use more"
            )
        }
        return Selection(profile: chosen.profile, forced: false, assessments: assessments)
    }

    /// AIM_PROFILE_ID skips every check but memory: strict refuses a profile that cannot fit, warn says so.
    private func checkForcedMemory(_ profile: Profile, request: SelectionRequest) throws {
        guard request.memoryCheck != .off, let memory = request.memory[profile.location.path],
            memory.verdict == .doesNotFit
        else { return }
        let message = "profile \(profile.id) does not fit in memory: \(memory.reason)"
        if request.memoryCheck == .strict {
            throw AIMError(
                .insufficientMemory,
                "\(message); choose a profile with more GPUs, or set AIM_MEMORY_CHECK=warn to start it anyway")
        }
        logger.warning("\(message); starting it because AIM_PROFILE_ID names it (AIM_MEMORY_CHECK=warn)")
    }

    private func forcedProfile(_ id: String, in catalog: ProfileCatalog) throws -> Profile {
        if let profile = catalog.profile(withID: id) {
            logger.info("Using profile \(id) from AIM_PROFILE_ID; compatibility checks are skipped")
            return profile
        }
        if let invalid = catalog.invalidProfile(withID: id) {
            throw AIMError(.invalidProfile, "AIM_PROFILE_ID='\(id)' names an invalid profile: \(invalid.message)")
        }
        let nearest = NearestStrings.closest(to: id, among: catalog.allIDs, limit: 3)
        let suggestion = nearest.isEmpty ? "the catalogue is empty" : "nearest: " + nearest.joined(separator: ", ")
        throw AIMError.configuration(
            "AIM_PROFILE_ID='\(id)' matches no profile (\(suggestion)); run `aim-runtime list-profiles` for every id")
    }

    private func noMatchMessage(
        _ assessments: [ProfileAssessment], invalidCount: Int, request: SelectionRequest
    ) -> String {
        var counts: [CompatibilityState: Int] = [:]
        for assessment in assessments { counts[assessment.state, default: 0] += 1 }
        counts[.invalid] = invalidCount
        let breakdown = CompatibilityState.allCases
            .compactMap { state in counts[state].flatMap { $0 > 0 ? "\($0) \(state.rawValue)" : nil } }
            .joined(separator: ", ")
        let nodes = request.nodeCount > 1 ? "\(request.nodeCount) nodes of " : ""
        let wanted =
            "\(nodes)\(request.gpu.count)x \(request.gpu.model.rawValue), engine \(request.engine.rawValue), "
            + "metric \(request.metric.rawValue), precision \(request.precision?.rawValue ?? "auto")"
        return "no compatible profile for \(request.aimID ?? "a general profile") on \(wanted): "
            + (breakdown.isEmpty ? "no profiles found" : breakdown)
            + "; run `aim-runtime list-profiles` to see why each profile was rejected"
    }
}

/// One element of a ranking key: numbers compare numerically, text by code points.
private enum RankComponent: Comparable {
    case number(Int)
    case text(String)
}
