import Foundation

/// Where a profile file sits, and the id and source that follow from it.
public struct ProfileLocation: Equatable, Sendable {
    /// Absolute path of the file.
    public let path: String
    /// Path relative to the profile root, e.g. `general/vllm-mi300x-fp16-tp1-latency.yaml`.
    public let relativePath: String
    /// 1 for custom, 2 for the model directory, 3 for general (2 when there is no model directory).
    public let searchPriority: Int

    public init(path: String, relativePath: String, searchPriority: Int) {
        self.path = path
        self.relativePath = relativePath
        self.searchPriority = searchPriority
    }

    /// The file name without `.yaml`.
    public var stem: String {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    }

    // Classification follows the directory names anywhere in the path below the
    // root, so `custom/general/x.yaml` is both custom and general.
    public var isGeneral: Bool { ("/" + relativePath).contains("/general/") }
    public var isCustom: Bool { ("/" + relativePath).contains("/custom/") }

    /// The id AIM_PROFILE_ID and the listings use.
    /// - Parameter aimID: the profile's `aim_id`, which names custom model profiles.
    ///   A broken custom file may have none; its directories stand in for it.
    public func profileID(aimID: String?) -> String {
        switch (isCustom, isGeneral) {
        case (true, true): return "custom/general/\(stem)"
        case (true, false):
            guard let aimID, !aimID.isEmpty else {
                let path = "/" + relativePath
                let tail = path.range(of: "/custom/").map { String(path[$0.upperBound...]) } ?? relativePath
                return "custom/" + (tail.hasSuffix(".yaml") ? String(tail.dropLast(5)) : tail)
            }
            return "custom/\(aimID)/\(stem)"
        case (false, true): return "general/\(stem)"
        case (false, false): return stem
        }
    }
}
