import AIMCore
import OrderedCollections

/// Reads the Hub's `GET /api/models/{repo}/revision/{revision}` answer: the commit and its files.
/// Total: any text gives a snapshot or a `TransferFailure`, never a trap.
public enum HubListingParser {
    /// A repository with more files than this is not one a launcher should fetch file by file.
    public static let maximumFiles = 100_000

    public static func parse(_ json: String, repo: String, revision: String) throws -> HubSnapshot {
        try parse(json, repo: repo, revision: revision, headerCommit: nil)
    }

    /// `headerCommit`: the `X-Repo-Commit` header, used when the body names no commit.
    static func parse(_ json: String, repo: String, revision: String, headerCommit: String?) throws -> HubSnapshot {
        guard let document = try? JSONParser.parse(json), let info = document.mappingValue else {
            throw TransferFailure(
                .permanent, "the Hub's answer for \(repo)@\(revision) is not a JSON object; is HF_ENDPOINT a Hub?")
        }
        let commit = info["sha"]?.stringValue ?? headerCommit ?? revision
        var siblings: [StructuredValue] = []
        switch info["siblings"] {
        case .list(let items)?: siblings = items
        case nil, .null?: break
        default:
            throw TransferFailure(
                .permanent, "the Hub's answer for \(repo)@\(revision) has a 'siblings' field that is not a list")
        }
        guard siblings.count <= maximumFiles else {
            throw TransferFailure(
                .permanent,
                "the Hub lists \(siblings.count) files for \(repo)@\(revision), more than \(maximumFiles); refusing to fetch them"
            )
        }
        var files: [HubFile] = []
        for sibling in siblings {
            guard let entry = sibling.mappingValue, let path = entry["rfilename"]?.stringValue else { continue }
            let lfs = entry["lfs"]?.mappingValue
            let size = try byteCount(entry["size"], file: path) ?? byteCount(lfs?["size"], file: path)
            files.append(HubFile(path: path, size: size, lfsSHA256: lfs?["sha256"]?.stringValue))
        }
        return HubSnapshot(repo: repo, revision: revision, commit: commit, files: files)
    }

    /// A size the Hub lists: a non-negative integer, or absent. Anything else is an answer error.
    private static func byteCount(_ value: StructuredValue?, file: String) throws -> Int64? {
        switch value {
        case nil, .null?:
            return nil
        case .int(let number)? where number >= 0:
            return Int64(exactly: number)
        case .double(let number)? where number >= 0 && number < 9.0e18 && number.rounded() == number:
            return Int64(exactly: number)
        default:
            throw TransferFailure(
                .permanent,
                "the Hub lists \(OneLineText.quoted(file)) with a size that is not a byte count; is HF_ENDPOINT a Hub?")
        }
    }
}

extension HubSnapshot {
    /// The sum of the sizes listed (files without one count nothing), or nil when the sum overflows.
    public var totalBytes: Int64? { ByteSum.total(files.compactMap(\.size)) }
}
