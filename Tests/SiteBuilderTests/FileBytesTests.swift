import Foundation
@testable import SiteBuilder
import Testing

/// `FileBytes.read`: the whole file, whatever size it was said to have (the input scan's size can be
/// stale by the time a file is read: an editor saving meanwhile).
@Suite struct FileBytesTests {
    @Test(arguments: [nil, 0, 1, 4_999, 5_000, 5_001, 100_000])
    func aFileIsReadWholeWhateverItsSizeWasSaidToBe(sizeHint: Int?) throws {
        let folder = try ExampleSite.empty().folder
        let path = folder + "/file.md"
        let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(FileBytes.read(path, sizeHint: sizeHint) == bytes)
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        #expect(FileBytes.read("file.md", in: descriptor, sizeHint: sizeHint) == bytes)
    }

    @Test func anEmptyFileAndAMissingOneAreToldApart() throws {
        let folder = try ExampleSite.empty().folder
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.md"))
        #expect(FileBytes.read(folder + "/empty.md", sizeHint: 10) == [])
        #expect(FileBytes.read(folder + "/missing.md", sizeHint: 10) == nil)
    }
}
