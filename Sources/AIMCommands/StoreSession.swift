import AsyncHTTPClient

/// Owns the HTTP client of one command, and always shuts it down. The model store maps its own
/// errors (exit 6-11), so they pass through unchanged.
enum StoreSession {
    static func run<T>(
        _ context: CommandContext, stallSeconds: Int, connectSeconds: Int, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let http = context.makeHTTPClient(stallSeconds, connectSeconds)
        do {
            let result = try await body(http)
            try? await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
