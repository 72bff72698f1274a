import AIMCore
import OrderedCollections

/// How every command ends when something fails: one classification of any error into a
/// documented exit status, one `error:` line on stderr, and the JSON form some commands print.
public enum ErrorReport {
    /// The one mapping from whatever was thrown to a documented exit status and message.
    /// Stages throw `AIMError`s with their own status, wrapping lower errors at their boundary
    /// (the model store's Foundation errors are exit 6); anything else reaching here is a bug or an
    /// unmapped library error, and its raw text (which may hold paths, hosts or worse) is not shown.
    public static func classify(_ error: any Error) -> AIMError {
        if let error = error as? AIMError {
            return error
        }
        if let reason = SystemErrorText.describe(error) {
            return AIMError(.failure, "\(reason); check the path and its permissions", cause: error)
        }
        return AIMError(
            .failure,
            "unexpected internal failure; this is a bug in aim-runtime, please report it with the command that failed",
            cause: error)
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
            ])
        ])
        return JSONWriter.write(document, style: .indented) + "\n"
    }
}
