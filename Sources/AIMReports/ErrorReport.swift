import AIMCore

/// `{"error": {"code": …, "message": …}}`: what JSON-speaking commands print on failure.
public enum ErrorReport {
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
}
