import AIMCore
import AIMTestSupport
import Foundation
import Testing

/// Files from outside are read only when regular, never blocking, and never past a limit.
@Suite struct BoundedFileTests {
    @Test func readsARegularFileWithinTheLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "hf_abc\n")
        #expect(try BoundedFile.read(path, limit: 7) == Data("hf_abc\n".utf8))
        #expect(throws: BoundedFile.Problem.tooLarge(limit: 6)) { try BoundedFile.read(path, limit: 6) }
    }

    @Test func aHugeFileStopsAtTheLimitQuickly() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("big", "")
        #expect(truncate(path, 200 << 20) == 0)
        let start = Date()
        #expect(throws: BoundedFile.Problem.tooLarge(limit: 65536)) { try BoundedFile.read(path, limit: 65536) }
        #expect(Date().timeIntervalSince(start) < 0.5)
    }

    @Test func fifosDirectoriesDevicesAndLoopsAreRefusedWithoutBlocking() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.path + "/fifo", 0o644) == 0)
        #expect(symlink("loop", directory.path + "/loop") == 0)
        #expect(symlink("nowhere", directory.path + "/dangling") == 0)
        #expect(throws: BoundedFile.Problem.notRegular(kind: "a FIFO")) {
            try BoundedFile.read(directory.path + "/fifo", limit: 10)
        }
        #expect(throws: BoundedFile.Problem.notRegular(kind: "a directory")) {
            try BoundedFile.read(directory.path, limit: 10)
        }
        #expect(throws: BoundedFile.Problem.notRegular(kind: "a character device")) {
            try BoundedFile.read("/dev/zero", limit: 10)
        }
        #expect(throws: BoundedFile.Problem.symlinkLoop) { try BoundedFile.read(directory.path + "/loop", limit: 10) }
        #expect(throws: BoundedFile.Problem.danglingSymlink) {
            try BoundedFile.read(directory.path + "/dangling", limit: 10)
        }
        #expect(throws: BoundedFile.Problem.missing) { try BoundedFile.read(directory.path + "/absent", limit: 10) }
        #expect(BoundedFile.text(directory.path + "/fifo", limit: 10) == nil)
    }
}
