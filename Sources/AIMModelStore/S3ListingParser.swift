import AIMCore
import Foundation

/// One object of an S3 listing.
public struct S3Object: Equatable, Sendable {
    public let key: String
    public let size: Int64
    /// Without quotes; an MD5 for single-part objects, `<md5>-<parts>` for multipart ones.
    public let etag: String

    public init(key: String, size: Int64, etag: String) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}

/// One page of a ListObjectsV2 answer, or the `Code` of an S3 error document.
public struct S3ListingPage: Equatable, Sendable {
    public let objects: [S3Object]
    public let isTruncated: Bool
    public let nextContinuationToken: String?
    /// `<Error><Code>NoSuchBucket</Code>…`: set when the document is an error.
    public let errorCode: String?
}

/// Reads S3's listing XML. Total: any text gives a page or a `TransferFailure`, never a trap.
public enum S3ListingParser {
    /// More objects than this in one page is not S3 (it sends at most 1,000).
    public static let maximumObjectsPerPage = 10_000

    public static func parse(_ xml: String) throws -> S3ListingPage {
        var objects: [S3Object] = []
        for block in XMLScanner.elements("Contents", in: xml) {
            guard objects.count < maximumObjectsPerPage else {
                throw TransferFailure(
                    .permanent,
                    "S3's listing page holds more than \(maximumObjectsPerPage) objects; is AWS_ENDPOINT_URL an S3 server?"
                )
            }
            guard let key = XMLScanner.value("Key", in: block) else { continue }
            let sizeText = XMLScanner.value("Size", in: block) ?? ""
            guard let size = HTTPHeaderValues.contentLength(sizeText) else {
                throw TransferFailure(
                    .permanent,
                    "S3 lists the object \(OneLineText.quoted(key)) with the size \(OneLineText.quoted(sizeText)), which is not a byte count"
                )
            }
            let etag = (XMLScanner.value("ETag", in: block) ?? "").trimmingQuotes()
            objects.append(S3Object(key: key, size: size, etag: etag))
        }
        return S3ListingPage(
            objects: objects,
            isTruncated: XMLScanner.value("IsTruncated", in: xml)?.trimmingSpaces() == "true",
            nextContinuationToken: XMLScanner.value("NextContinuationToken", in: xml),
            errorCode: XMLScanner.value("Code", in: xml))
    }
}

/// Just enough XML for S3's listing: the text of simple elements, with entities and CDATA decoded.
enum XMLScanner {
    static func elements<S: StringProtocol>(_ name: String, in text: S) -> [S.SubSequence] {
        var blocks: [S.SubSequence] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>"), let close = closing(name, in: rest, from: open.upperBound) {
            blocks.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    /// The decoded text of the first `<name>…</name>`.
    static func value<S: StringProtocol>(_ name: String, in text: S) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = closing(name, in: text, from: open.upperBound) else {
            return nil
        }
        return decode(text[open.upperBound..<close.lowerBound])
    }

    /// The `</name>` that closes an element opened at `start`, skipping any that sits inside a CDATA section.
    private static func closing<S: StringProtocol>(_ name: String, in text: S, from start: S.Index) -> Range<S.Index>? {
        var position = start
        while let close = text.range(of: "</\(name)>", range: position..<text.endIndex) {
            guard let cdata = text.range(of: "<![CDATA[", range: position..<close.lowerBound) else { return close }
            guard let end = text.range(of: "]]>", range: cdata.upperBound..<text.endIndex) else { return nil }
            position = end.upperBound
        }
        return nil
    }

    /// Decodes in one pass, so `&amp;lt;` stays `&lt;`: the five named entities, decimal and hex character
    /// references (`&#34;`, `&#x22;`), and CDATA sections. Anything else is kept as written.
    static func decode<S: StringProtocol>(_ raw: S) -> String {
        let scalars = raw.unicodeScalars
        var result = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if scalars[index...].starts(with: "<![CDATA[".unicodeScalars) {
                let start = scalars.index(index, offsetBy: 9)
                var end = start
                while end < scalars.endIndex, !scalars[end...].starts(with: "]]>".unicodeScalars) {
                    end = scalars.index(after: end)
                }
                result.append(contentsOf: Array(scalars[start..<end]))
                index = end < scalars.endIndex ? scalars.index(end, offsetBy: 3) : end
                continue
            }
            if scalars[index] == "&" {
                let limit = scalars.index(index, offsetBy: 12, limitedBy: scalars.endIndex) ?? scalars.endIndex
                if let semicolon = scalars[index..<limit].firstIndex(of: ";"),
                    let decoded = entity(
                        String(String.UnicodeScalarView(scalars[scalars.index(after: index)..<semicolon])))
                {
                    result.append(decoded)
                    index = scalars.index(after: semicolon)
                    continue
                }
            }
            result.append(scalars[index])
            index = scalars.index(after: index)
        }
        return String(result)
    }

    private static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let number: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            let hex = digits.dropFirst()
            number = !hex.isEmpty && hex.count <= 6 && hex.allSatisfy(\.isHexDigit) ? UInt32(hex, radix: 16) : nil
        } else {
            number =
                !digits.isEmpty && digits.count <= 7 && digits.allSatisfy({ $0.isASCII && $0.isNumber })
                ? UInt32(digits) : nil
        }
        guard let number, number != 0 else { return nil }
        return Unicode.Scalar(number)
    }
}

extension StringProtocol {
    func trimmingQuotes() -> String {
        var text = Substring(self)
        while text.first == "\"" { text.removeFirst() }
        while text.last == "\"" { text.removeLast() }
        return String(text)
    }

    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
