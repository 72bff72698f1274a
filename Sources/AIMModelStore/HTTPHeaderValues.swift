import Foundation

/// Numbers and names read from HTTP response headers, checked before use.
///
/// Headers come from servers we do not control: every value here is total (never traps) and
/// turns anything unusable (negative, fractional, 26 digits, inf, nan, control characters) into nil.
public enum HTTPHeaderValues {
    /// A server asking us to wait longer than this is taken at this word: a retry never sleeps for hours.
    public static let maximumRetryAfter: TimeInterval = 3600

    /// `Content-Length` or `X-Linked-Size`: decimal digits only, within Int64.
    public static func contentLength(_ value: String?) -> Int64? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.utf8.count <= 19,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int64(text)
    }

    /// `Retry-After` as seconds to wait: delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`),
    /// at most `maximumRetryAfter`; nil when the value is neither.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.utf8.count <= 64 else {
            return nil
        }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // More than 19 digits would not fit; it is "a very long time" either way.
            guard let seconds = Int64(text) else { return maximumRetryAfter }
            return min(TimeInterval(seconds), maximumRetryAfter)
        }
        guard let date = httpDate(text) else { return nil }
        let wait = date.timeIntervalSince(now)
        guard wait.isFinite else { return nil }
        return min(max(wait, 0), maximumRetryAfter)
    }

    /// An ETag without its quotes and weak marker: `W/"abc"` → `abc`; nil when empty, over 1024
    /// characters or holding control characters.
    public static func etag(_ value: String?) -> String? {
        guard var etag = value?.trimmingCharacters(in: .whitespaces), !etag.isEmpty else { return nil }
        if etag.hasPrefix("W/") { etag.removeFirst(2) }
        etag = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard !etag.isEmpty, etag.utf8.count <= 1024,
            !etag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return etag
    }

    /// The IMF-fixdate form of RFC 9110 (`Sun, 06 Nov 1994 08:49:37 GMT`), the only one servers send today.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = smallNumber(parts[1], digits: 2), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[2])),
            let year = smallNumber(parts[3], digits: 4), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = smallNumber(clock[0], digits: 2),
            let minute = smallNumber(clock[1], digits: 2),
            let second = smallNumber(clock[2], digits: 2), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Date(timeIntervalSince1970: TimeInterval(((days * 24 + hour) * 60 + minute) * 60 + second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func smallNumber(_ text: Substring, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm); years are at most 9999 here.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
