import NIOCore

/// Lines from a connection's byte stream, each at most `GroupMessage.maxLineBytes`: a peer that sends a
/// longer one is cut off rather than buffered.
struct LineReader<Base: AsyncIteratorProtocol> where Base.Element == ByteBuffer {
    struct TooLong: Error {}

    private var base: Base
    private var pending: [UInt8] = []

    init(_ base: Base) {
        self.base = base
    }

    /// The next line without its newline; nil at the end of the stream.
    mutating func next() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            guard pending.count <= GroupMessage.maxLineBytes else { throw TooLong() }
            guard var buffer = try await base.next() else { return nil }
            pending.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
    }
}
