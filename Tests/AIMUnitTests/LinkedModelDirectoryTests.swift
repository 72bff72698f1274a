import AIMModelStore
import AIMTestSupport
import Foundation
import Testing

/// A local model directory given as a link to the real folder (scripts/demo-cpu.sh serves SmolLM2 so; mounted
/// volumes often name `current`) is measured by what the link points to, not taken as empty.
@Suite struct LinkedModelDirectoryTests {
    @Test func aLinkToTheModelFolderCountsItsFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("v2/config.json", "{}")
        try directory.write("v2/model.safetensors", String(repeating: "w", count: 100))
        #expect(symlink("v2", directory.path + "/current") == 0)
        let size = CacheInventory.size(of: directory.path + "/current")
        #expect(size.files == 2 && size.bytes == 102, "\(size)")
        #expect(CacheInventory.size(of: directory.path + "/v2") == size)
    }

    @Test func aLinkToAFolderWithAnInterruptedDownloadIsNotComplete() throws {
        let directory = try TemporaryDirectory()
        try directory.write("v2/model.safetensors.incomplete", "part")
        #expect(symlink(directory.path + "/v2", directory.path + "/current") == 0)
        #expect(!CacheInventory.isCompleteFlatDirectory(directory.path + "/current"))
    }
}
