/// A property every parse must keep, whatever the input.
///
/// A broken invariant stops the process like a trap, so libFuzzer records the input as a crash
/// and the replay test fails on it.
enum FuzzInvariant {
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() {
            fatalError("fuzz invariant broken: \(message())")
        }
    }

    /// An `error:` or warning line must stay one line.
    static func oneLine(_ text: String, _ what: String) {
        check(
            !text.contains(where: { $0 == "\n" || $0 == "\r" }), "\(what) spans several lines: \(text.debugDescription)"
        )
    }
}
