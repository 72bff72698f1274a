import Foundation

/// Plain words for the Foundation and POSIX errors that file and network code can throw.
///
/// Their own descriptions hold Objective-C domains and user-info dumps; a user needs the path
/// and the system's reason. Shared by the stages that wrap such errors in their own `AIMError`
/// and by the final classification of anything left unwrapped.
public enum SystemErrorText {
    /// The reason, or nil when the error is not a Foundation or POSIX one.
    public static func describe(_ error: any Error) -> String? {
        switch error {
        case let error as CocoaError:
            let path =
                (error.userInfo[NSFilePathErrorKey] as? String).map { " (\(OneLineText.quoted($0, limit: 200)))" } ?? ""
            return "a file operation failed\(path): \(fileProblem(error.code))"
        case let error as POSIXError:
            return "a system call failed: \(String(cString: strerror(error.code.rawValue)))"
        default:
            return nil
        }
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
