import AIMCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Downloads one file into place so that no partial or unverified file is ever
/// visible under its final name.
///
/// Bytes go to `<final>.incomplete` in the same directory. A large file is cut
/// into chunks fetched in parallel with HTTP Range; finished chunks are noted in
/// `<final>.incomplete.chunks`, so an interrupted transfer resumes where it
/// stopped. Once every byte is there, the content is checked and the file is
/// renamed atomically. A file that fails its check is fetched once more, then
/// the transfer fails.
struct FileTransfer: Sendable {
    /// Builds the GET for a byte range (nil: the whole file). S3 signs each request.
    typealias RequestBuilder = @Sendable (ClosedRange<Int64>?) throws -> HTTPClientRequest

    let http: HTTPClient
    let limiter: ConnectionLimiter
    let progress: TransferProgress
    let retry: RetryPolicy
    let chunkSize: Int64
    let logger: Logger
    /// The variable that chose the server, for connection failures' advice (`HF_ENDPOINT`).
    let setting: String

    /// - Returns: the check that was applied (an MD5 ETag check becomes a size check for
    ///   SSE-KMS or SSE-C objects, whose ETags are not MD5s).
    @discardableResult
    func download(
        to finalPath: String, size: Int64, check: ContentCheck, request: @escaping RequestBuilder
    ) async throws -> ContentCheck {
        let temporary = finalPath + ".incomplete"
        let notes = ResponseNotes()
        for attempt in 1...2 {
            let hashed = try await fetchAllBytes(
                to: temporary, size: size, check: check, notes: notes, request: request)
            let applied: ContentCheck = {
                if case .md5 = check, notes.encrypted { return .sizeOnly } else { return check }
            }()
            let name = finalPath.split(separator: "/").last.map(String.init) ?? finalPath
            let matched: Bool
            if applied == check, let verdict = hashed?.verdict {
                matched = verdict
                if let rate = hashed?.rate {
                    logger.debug(
                        "Hashed \(name) (\(ByteCount.text(size))) while it downloaded, at \(ByteCount.text(DownloadReporter.byteCount(rate)))/s"
                    )
                }
            } else {
                let checking = ContinuousClock.now
                matched = try applied.matches(fileAt: temporary, size: size)
                let seconds = (ContinuousClock.now - checking) / .seconds(1)
                if applied != .sizeOnly {
                    logger.debug(
                        "Checked \(name) (\(ByteCount.text(size))) against its \(applied) in \(String(format: "%.2f", seconds)) s (\(ByteCount.text(DownloadReporter.byteCount(Double(size) / max(seconds, 1e-6))))/s)"
                    )
                }
            }
            if matched {
                try Self.removeIfPresent(temporary + ".chunks")
                guard rename(temporary, finalPath) == 0 else {
                    throw TransferFailure(
                        .permanent, "cannot move \(temporary) into place: \(String(cString: strerror(errno)))")
                }
                return applied
            }
            logger.warning(
                "\(finalPath.split(separator: "/").last ?? "") failed its \(check) check (attempt \(attempt) of 2); fetching it again"
            )
            try Self.removeIfPresent(temporary)
            try Self.removeIfPresent(temporary + ".chunks")
        }
        throw TransferFailure(
            .checksum, "\(finalPath) failed its \(check) check twice; the server sent different bytes than it lists")
    }

    /// - Returns: the hasher that checked the content while the ranges arrived, for files of several ranges
    ///   with a hash to check; nil otherwise (the caller then reads the file once more).
    private func fetchAllBytes(
        to temporary: String, size: Int64, check: ContentCheck, notes: ResponseNotes,
        request: @escaping RequestBuilder
    ) async throws -> RangeHasher? {
        // Read and write: the hasher reads back what the transfers wrote.
        let descriptor = open(temporary, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw TransferFailure(.permanent, "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let chunks = Self.chunks(size: size, chunkSize: chunkSize)
        let journal = ChunkJournal(path: temporary + ".chunks", chunkBytes: Int64(chunks.first?.count ?? 0))
        let done = journal.completed()
        let missing = chunks.indices.filter { !done.contains($0) }
        progress.credit(ByteSum.saturating(chunks.indices.filter(done.contains).map { Int64(chunks[$0].count) }))
        let file = FileWriter(descriptor: descriptor)
        let hasher =
            chunks.count > 1 && check != .sizeOnly
            ? RangeHasher(check: check, size: size, ranges: chunks, descriptor: descriptor) : nil
        done.forEach { hasher?.arrived($0) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in missing {
                    group.addTask {
                        try await limiter.withConnection {
                            try await fetchWithRetries(
                                chunks[index], into: file, whole: chunks.count == 1, notes: notes, request: request)
                        }
                        journal.markCompleted(index)
                        hasher?.arrived(index)
                    }
                }
                if let hasher { group.addTask { try await hasher.run() } }
                for try await _ in group {}
            }
        } catch let ignored as RangeIgnored where chunks.count > 1 {
            // The server sends whole files only: start again as one stream.
            logger.warning("the server ignores HTTP Range (\(ignored.status)); downloading the file as one stream")
            try Self.removeIfPresent(temporary + ".chunks")
            guard ftruncate(descriptor, 0) == 0 else {
                throw TransferFailure(.permanent, "cannot truncate \(temporary)")
            }
            try await limiter.withConnection {
                try await fetchWithRetries(0...(size - 1), into: file, whole: true, notes: notes, request: request)
            }
        }
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw TransferFailure(.permanent, "cannot size \(temporary)")
        }
        return hasher?.verdict == nil ? nil : hasher
    }

    private func fetchWithRetries(
        _ range: ClosedRange<Int64>, into file: FileWriter, whole: Bool, notes: ResponseNotes,
        request: @escaping RequestBuilder
    ) async throws {
        let what = Self.name(of: request) + (range.lowerBound == 0 ? "" : " (bytes \(range.lowerBound)-)")
        try await retry.retrying(what, logger: logger) {
            try await fetch(range, into: file, whole: whole, notes: notes, request: request)
        }
    }

    /// One GET. A whole-file fetch resumes from what a previous attempt wrote.
    private func fetch(
        _ range: ClosedRange<Int64>, into file: FileWriter, whole: Bool, notes: ResponseNotes,
        request: @escaping RequestBuilder
    ) async throws {
        let start = whole ? min(file.written(in: range), range.upperBound + 1) : range.lowerBound
        if start > range.upperBound { return }
        let asked = start...range.upperBound
        let outgoing = try request(whole && start == 0 ? nil : asked)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(outgoing, deadline: .distantFuture)
        } catch {
            // The server or the path to it pushes back: fewer connections from now on.
            await limiter.congested()
            throw ConnectionFailureCause(url: outgoing.url, setting: setting, refusalIsPermanent: false).failure(
                for: error)
        }
        if response.headers.first(name: "x-amz-server-side-encryption")?.hasPrefix("aws:kms") == true
            || response.headers.contains(name: "x-amz-server-side-encryption-customer-algorithm")
        {
            notes.markEncrypted()
        }
        var first = asked.lowerBound
        switch response.status.code {
        case 206:
            break
        case 200 where whole:
            first = 0  // no Range asked, or a resume Range ignored: the whole file from byte 0
        case 200:
            throw RangeIgnored(status: 200)
        default:
            if [429, 503].contains(response.status.code) { await limiter.congested() }
            throw TransferFailure(
                (429...429).contains(Int(response.status.code)) || response.status.code >= 500
                    ? .transient(retryAfter: HTTPHeaderValues.retryAfter(response.headers.first(name: "Retry-After")))
                    : .permanent,
                "the server answered HTTP \(response.status.code) for \(Self.name(of: request))",
                httpStatus: response.status.code)
        }
        var offset = first
        do {
            for try await buffer in response.body {
                let count = Int64(buffer.readableBytes)
                guard count <= asked.upperBound + 1 - offset else {
                    throw TransferFailure(.transient(retryAfter: nil), "the server sent more bytes than asked for")
                }
                try file.write(buffer, at: offset)
                offset += count
                progress.add(count)
                if whole { file.noteWritten(upTo: offset) }
            }
        } catch let failure as TransferFailure {
            throw failure
        } catch {
            throw ConnectionFailureCause(url: outgoing.url, setting: setting, refusalIsPermanent: false).failure(
                for: error)
        }
        guard offset == asked.upperBound + 1 else {
            throw TransferFailure(
                .transient(retryAfter: nil),
                "the connection closed after \(offset - first) of \(asked.upperBound + 1 - first) bytes")
        }
    }

    /// The file a request is for, for log lines: its URL's last path component, without the query.
    static func name(of request: RequestBuilder) -> String {
        (try? request(nil)).flatMap { URL(string: $0.url)?.lastPathComponent } ?? "a file"
    }

    static func chunks(size: Int64, chunkSize: Int64) -> [ClosedRange<Int64>] {
        // No sum here can overflow, whatever the sizes: `size - start` is never negative. At most
        // about a million chunks, so a huge listed size cannot make a huge array.
        let step = max(chunkSize, 1, size / 1_000_000 + 1)
        var ranges: [ClosedRange<Int64>] = []
        var start: Int64 = 0
        while start < size {
            let end = size - start > step ? start + (step - 1) : size - 1
            ranges.append(start...end)
            start = end + 1
        }
        return ranges
    }

    static func removeIfPresent(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw TransferFailure(.permanent, "cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// What the responses for one file said that changes how it is checked.
final class ResponseNotes: Sendable {
    private let sawEncryption = Mutex(false)

    func markEncrypted() {
        sawEncryption.withLock { $0 = true }
    }

    var encrypted: Bool { sawEncryption.withLock { $0 } }
}

/// The server answered a ranged request with the whole file.
struct RangeIgnored: Error {
    let status: UInt
}

/// Writes at offsets into the temporary file; remembers how far a whole-file stream got.
final class FileWriter: Sendable {
    private let descriptor: Int32
    private let contiguous = Mutex<Int64?>(nil)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ buffer: ByteBuffer, at offset: Int64) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                let result = pwrite(
                    descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    if errno == ENOSPC || errno == EDQUOT {
                        throw AIMError(
                            .diskFull,
                            "the disk is full while writing the model; free space or point AIM_CACHE_PATH at a larger volume"
                        )
                    }
                    throw TransferFailure(
                        .permanent, "cannot write the model file: \(String(cString: strerror(errno)))")
                }
                done += result
            }
        }
    }

    /// For a single stream: the bytes already on disk from an earlier, interrupted attempt.
    func written(in range: ClosedRange<Int64>) -> Int64 {
        contiguous.withLock { contiguous in
            if let contiguous { return contiguous }
            var info = stat()
            let size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
            let written = min(size, range.upperBound + 1)
            contiguous = written
            return written
        }
    }

    func noteWritten(upTo offset: Int64) {
        contiguous.withLock { $0 = offset }
    }
}

/// The chunks of a file already on disk, one index a line, appended as they finish, after a first line
/// naming the chunk size: an index means nothing with another size (an earlier AIM_DOWNLOAD_CHUNK_MIB, or
/// an older version's default), so a journal of another size (or none) is started afresh.
struct ChunkJournal: Sendable {
    let path: String
    let chunkBytes: Int64

    private var header: String { "chunk-bytes \(chunkBytes)" }

    func completed() -> Set<Int> {
        guard let text = BoundedFile.text(path, limit: 16 << 20) else { return [] }
        let lines = text.split(separator: "\n")
        guard lines.first.map(String.init) == header else {
            try? FileTransfer.removeIfPresent(path)
            return []
        }
        return Set(lines.dropFirst().compactMap { Int($0) })
    }

    func markCompleted(_ index: Int) {
        var info = stat()
        let fresh = stat(path, &info) != 0
        let line = (fresh ? header + "\n" : "") + "\(index)\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { return }
        _ = line.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }
}
