import AIMModelStore
import Foundation

/// What Hub and S3 servers send: the Hub's model listing, an S3 listing page, and header values.
enum StoreTargets {
    static func hubListing(_ text: String) {
        do {
            let snapshot = try HubListingParser.parse(text, repo: "org/model", revision: "main")
            FuzzInvariant.check(
                snapshot.files.count <= HubListingParser.maximumFiles, "\(snapshot.files.count) files listed")
            for file in snapshot.files {
                FuzzInvariant.check(
                    (file.size ?? 0) >= 0, "\(file.path.debugDescription) has the size \(file.size ?? 0)")
            }
            _ = snapshot.totalBytes
        } catch let failure as TransferFailure {
            FuzzInvariant.oneLine(failure.message, "a Hub listing error")
        } catch {
            FuzzInvariant.check(false, "the Hub listing parser threw \(type(of: error)), not TransferFailure")
        }
    }

    static func s3Listing(_ text: String) {
        do {
            let page = try S3ListingParser.parse(text)
            FuzzInvariant.check(
                page.objects.count <= S3ListingParser.maximumObjectsPerPage, "\(page.objects.count) objects in a page")
            for object in page.objects {
                FuzzInvariant.check(object.size >= 0, "\(object.key.debugDescription) has the size \(object.size)")
            }
        } catch let failure as TransferFailure {
            FuzzInvariant.oneLine(failure.message, "an S3 listing error")
        } catch {
            FuzzInvariant.check(false, "the S3 listing parser threw \(type(of: error)), not TransferFailure")
        }
    }

    /// Each line of the input is tried as each header's value.
    static func httpHeaders(_ text: String) {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
            let value = String(line)
            if let length = HTTPHeaderValues.contentLength(value) {
                FuzzInvariant.check(length >= 0, "Content-Length \(value.debugDescription) gave \(length)")
            }
            if let wait = HTTPHeaderValues.retryAfter(value, now: now) {
                FuzzInvariant.check(
                    wait.isFinite && wait >= 0 && wait <= HTTPHeaderValues.maximumRetryAfter,
                    "Retry-After \(value.debugDescription) gave \(wait) s")
            }
            if let etag = HTTPHeaderValues.etag(value) {
                FuzzInvariant.check(
                    !etag.isEmpty && !etag.contains(where: { $0 == "\n" || $0 == "\r" }),
                    "ETag \(value.debugDescription) gave \(etag.debugDescription)")
            }
        }
    }
}
