import AIMCore
import Foundation

/// How every command ends when something fails: one classification of any error into a
/// documented exit status, one `error:` line on stderr, and the JSON form some commands print.
public enum ErrorReport {
    /// The one mapping from whatever was thrown to a documented exit status and message.
    /// Stages throw `AIMError`s; anything else reaching here is a bug or an unmapped library
    /// error, and its raw text (which may hold paths, hosts or worse) is not shown.
    public static func classify(_ error: any Error) -> AIMError {
        switch error {
        case let error as AIMError:
            return error
        case let error as CocoaError:
            let path = (error.userInfo[NSFilePathErrorKey] as? String).map { " (\($0))" } ?? ""
            return AIMError(.failure, "a file operation failed\(path): \(fileProblem(error.code)); check the path and its permissions")
        case let error as POSIXError:
            return AIMError(.failure, "a system call failed: \(String(cString: strerror(error.code.rawValue)))")
        default:
            return AIMError(.failure, "unexpected internal failure; this is a bug in aim-runtime, please report it with the command that failed")
        }
    }

    /// The line printed on stderr: always exactly one line.
    public static func line(_ error: AIMError) -> String {
        "error: " + OneLineText.escape(error.message) + "\n"
    }

    public static func json(_ error: AIMError) -> String {
        let document: StructuredValue = .mapping([
            "error": .mapping([
                "code": .string(error.status.name),
                "exit_code": .int(Int(error.status.rawValue)),
                "message": .string(error.message),
            ]),
        ])
        return JSONWriter.write(document, style: .indented) + "\n"
    }

    private static func fileProblem(_ code: CocoaError.Code) -> String {
        switch code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file is in the way"
        case .fileWriteVolumeReadOnly: return "the file system is read-only"
        default: return "file error \(code.rawValue)"
        }
    }
}
