import AIMCore

/// Byte counts for messages: `1.5 GiB`.
enum ByteText {
    static func text(_ bytes: UInt64) -> String {
        ByteCount.text(Int64(clamping: bytes))
    }
}
