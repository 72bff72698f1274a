/// Text that came from a server, made safe to quote in a one-line message: at most `limit`
/// characters, control characters escaped (`\n`, `\u{1B}`), so an error stays one line.
enum OutsideText {
    static func quoted<S: StringProtocol>(_ text: S, limit: Int = 80) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { return "'" + result + "…'" }
            count += 1
            result += scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
                ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return "'" + result + "'"
    }
}
