import AIMCore
import Foundation
import Logging
import Synchronization

/// Discovers and validates the profiles under a root.
///
/// A broken file is reported and kept aside as invalid; it never takes the
/// rest of the catalogue down.
public struct ProfileCatalogLoader: Sendable {
    private let validator = ProfileValidator()
    private let logger: Logger

    public init(logger: Logger = Logger(label: "aim_runtime.profiles")) {
        self.logger = logger
    }

    public func load(root: String, aimID: String?) -> ProfileCatalog {
        let searchPaths = ProfileSearchPath.searchOrder(root: root, aimID: aimID)
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        var locations: [ProfileLocation] = []
        for searchPath in searchPaths {
            let search = ProfileFileFinder.search(under: searchPath.directory)
            let files = search.files
            if search.stoppedEarly {
                logger.warning("\(OneLineText.escape(searchPath.directory)) \(ProfileFileFinder.stoppedEarlyReason)")
            }
            if files.isEmpty {
                logger.debug("No profiles in \(searchPath.directory)")
            }
            let relativeDirectory = String(searchPath.directory.dropFirst(rootPrefix.count))
            for file in files {
                locations.append(
                    ProfileLocation(
                        path: searchPath.directory + "/" + file,
                        relativePath: relativeDirectory + "/" + file,
                        searchPriority: searchPath.priority))
            }
        }
        let outcomes = validateAll(locations)
        var profiles: [Profile] = []
        var invalid: [InvalidProfile] = []
        var seenIDs = Set<String>()
        for outcome in outcomes {
            switch outcome {
            case .success(let profile):
                if seenIDs.insert(profile.id).inserted {
                    profiles.append(profile)
                } else {
                    logger.debug(
                        "Profile \(OneLineText.escape(profile.id)) at \(OneLineText.escape(profile.location.relativePath)) is shadowed by an earlier one with the same id"
                    )
                }
            case .failure(let problem):
                logger.warning("Skipping invalid profile: \(problem.message)")
                invalid.append(problem)
            }
        }
        logger.debug("Loaded \(profiles.count) profiles (\(invalid.count) invalid) from \(root)")
        return ProfileCatalog(root: root, searchPaths: searchPaths, profiles: profiles, invalid: invalid)
    }

    /// Validates one file for validate-profiles.
    /// - Parameter relativePath: the path that decides general/custom, e.g. `general/x.yaml`
    ///   below the profile root; by default the file's absolute path.
    public func validateFile(at path: String, relativePath: String? = nil) -> Result<Profile, InvalidProfile> {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return validate(ProfileLocation(path: absolute, relativePath: relativePath ?? absolute, searchPriority: 0))
    }

    /// Parsing dominates start-up on large catalogues, so files are validated on every core.
    private func validateAll(_ locations: [ProfileLocation]) -> [Result<Profile, InvalidProfile>] {
        guard locations.count > 64 else { return locations.map(validate) }
        let results = ResultSlots<Result<Profile, InvalidProfile>>(count: locations.count)
        DispatchQueue.concurrentPerform(iterations: locations.count) { index in
            results.store(validate(locations[index]), at: index)
        }
        return results.values
    }

    private func validate(_ location: ProfileLocation) -> Result<Profile, InvalidProfile> {
        // The id comes from the file name and is printed in tables, logs and scripts: no control characters in it.
        if OneLineText.containsControl(location.relativePath) {
            let shown = ProfileLocation(
                path: OneLineText.escape(location.path), relativePath: OneLineText.escape(location.relativePath),
                searchPriority: location.searchPriority)
            return .failure(
                InvalidProfile(
                    id: shown.profileID(aimID: nil), location: shown,
                    message: shown.relativePath + ": the file name holds a control character; rename the file"))
        }
        let text: String
        switch ProfileFileReader.text(at: location.path) {
        case .success(let contents):
            text = contents
        case .failure(let problem):
            return .failure(
                InvalidProfile(
                    id: location.profileID(aimID: nil), location: location,
                    message: OneLineText.escape("\(location.relativePath): \(problem.reason)")))
        }
        do {
            return .success(try validator.validate(text: text, location: location))
        } catch let error as ProfileValidationError {
            // An aim_id that is not one line (itself a reason to be invalid) is not used in the id.
            let aimID = error.aimID.flatMap { OneLineText.containsControl($0) ? nil : $0 }
            return .failure(
                InvalidProfile(id: location.profileID(aimID: aimID), location: location, message: error.description))
        } catch {
            return .failure(
                InvalidProfile(
                    id: location.profileID(aimID: nil), location: location,
                    message: OneLineText.escape("\(location.relativePath): \(error)")))
        }
    }
}

/// Fixed slots that concurrent workers fill by index.
private final class ResultSlots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) {
        slots = Mutex(Array(repeating: nil, count: count))
    }

    func store(_ value: Value, at index: Int) {
        slots.withLock { $0[index] = value }
    }

    var values: [Value] { slots.withLock { filled in filled.compactMap { $0 } } }
}
