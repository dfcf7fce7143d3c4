import Foundation
@testable import SiteBuilder
import SiteCore
import Testing

/// libvips through VipsShim: sizes, resized WebP and JPEG copies, and errors that name the file.
@Suite struct ImageResizerTests {
    let cover = repositoryRoot + "/assets/images/products/noahs-ark-coloring-pages.svg"

    @Test func aCoverIsResizedToWebPAndJPEGKeepingItsAspectRatio() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = try ImageResizer.size(of: cover, file: "cover.svg")
        #expect(source.width > 0 && source.height > 0)
        let webp = try ImageResizer.resize(cover, to: folder + "/cover-320.webp", width: 320, file: "cover.svg")
        #expect(webp.width == min(320, source.width))
        #expect(abs(webp.height - source.height * webp.width / source.width) <= 1)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: folder + "/cover-320.webp")))
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8) && Array(bytes[8..<12]) == Array("WEBP".utf8))
        let jpeg = try ImageResizer.resize(cover, to: folder + "/cover-640.jpg", width: 640, file: "cover.svg")
        #expect(jpeg.width == min(640, source.width))
        let jpegBytes = [UInt8](try #require(FileManager.default.contents(atPath: folder + "/cover-640.jpg")))
        #expect(Array(jpegBytes[0..<2]) == [0xFF, 0xD8])
    }

    @Test func aFileThatIsNoImageIsNamedInTheError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-an-image-\(UUID().uuidString).png").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try ImageResizer.size(of: path, file: "assets/images/products/broken.png")
        } throws: { error in
            let diagnostic = error as? Diagnostic
            return diagnostic?.file == "assets/images/products/broken.png" && diagnostic?.message.hasPrefix("cannot read the image") == true
        }
    }

    @Test func widthsAreTheStepsBelowTheImageThenTheImageItself() {
        #expect(ImageResizer.widths(for: 2400) == [320, 640, 1024, 1600])
        #expect(ImageResizer.widths(for: 1600) == [320, 640, 1024, 1600])
        #expect(ImageResizer.widths(for: 1200) == [320, 640, 1024, 1200])
        #expect(ImageResizer.widths(for: 200) == [200])
    }
}
