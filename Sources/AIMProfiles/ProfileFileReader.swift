import AIMCore
import Foundation

/// Reads a profile file without trusting what sits at its path: through `BoundedFile`, so
/// only a regular file of at most `maximumBytes`, and never blocking on a FIFO.
public enum ProfileFileReader {
    /// Real profiles are a few kilobytes; this leaves room for long comments.
    public static let maximumBytes = 1 << 20

    /// Why a path cannot be read as a profile; `reason` completes "path: …".
    public struct Problem: Error, Equatable, Sendable {
        public let reason: String
    }

    public static func text(at path: String) -> Result<String, Problem> {
        let data: Data
        do {
            data = try BoundedFile.read(path, limit: maximumBytes)
        } catch {
            return .failure(Problem(reason: reason(error)))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(Problem(reason: "is not UTF-8 text; save it as UTF-8"))
        }
        return .success(text)
    }

    /// Completes "path: …" with what to do about it.
    private static func reason(_ problem: BoundedFile.Problem) -> String {
        switch problem {
        case .missing: return "does not exist"
        case .danglingSymlink: return "is a dangling symlink: its target does not exist"
        case .symlinkLoop: return "is a symlink loop; point the link at a profile file"
        case .notRegular(let kind): return "is \(kind), not a regular file"
        case .tooLarge: return "is larger than \(maximumBytes >> 20) MiB, the most a profile file may be; shorten it"
        case .unreadable(let reason): return "cannot be read (\(reason)); check that the file exists and is readable"
        }
    }
}
