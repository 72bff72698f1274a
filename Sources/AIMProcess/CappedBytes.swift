import Subprocess

/// The first `limit` bytes of a child's output stream, and whether more came.
struct CappedBytes: Sendable {
    var bytes: [UInt8] = []
    var cut = false

    /// Reads until the stream ends, more than `limit` bytes arrive, or the task is cancelled (then keeps
    /// what came: a program that never stops printing must not keep this loop going).
    static func read(_ stream: SubprocessOutputSequence, limit: Int) async -> CappedBytes {
        var result = CappedBytes()
        do {
            for try await buffer in stream {
                buffer.withUnsafeBytes { chunk in
                    let room = limit - result.bytes.count
                    result.bytes.append(contentsOf: chunk.prefix(room))
                    result.cut = chunk.count > room
                }
                if result.cut || Task.isCancelled { break }
            }
        } catch {
            // A failed read ends the stream like its end would: what came is kept.
        }
        return result
    }
}
