import Foundation
@testable import SiteBuilder
import SiteCore
import Testing

/// The images step as a shop sees it: resized WebP and JPEG/PNG copies with fingerprinted names,
/// `<picture>` markup with srcset, sizes, width and height, Open Graph cards, and the build cache
/// that makes a second build make no image at all.
@Suite struct ImagePipelineTests {
    /// The example shop as it ships: 42 products with 1600 px JPEG covers.
    @Test func theExampleShopsCoversGetResizedCopiesPicturesAndCards() throws {
        let site = try ExampleSite(rasterCovers: true)
        let summary = try site.build()
        #expect(summary.imagesMade == 42 + 49, "42 covers (some products share one) and 49 products' cards: \(summary)")
        let html = site.read("products/noahs-ark-coloring-pages/index.html")
        let picture = try #require(html.firstMatch(of: /<picture><source type="image\/webp" srcset="([^"]+)" sizes="([^"]+)"><img src="([^"]+)" srcset="([^"]+)" sizes="[^"]+" alt="([^"]+)" width="(\d+)" height="(\d+)"><\/picture>/))
        let webp = String(picture.output.1).split(separator: ", ").map(String.init)
        #expect(webp.map { $0.split(separator: " ").last! } == ["320w", "640w", "1024w", "1600w"])
        #expect(picture.output.2 == "(min-width: 760px) 520px, 100vw")
        #expect(picture.output.3.hasSuffix("-640w.jpg"))
        #expect(picture.output.5 == "Noah's Ark Coloring Pages preview" || picture.output.5.contains("Noah"))
        #expect(picture.output.6 == "1600" && picture.output.7 == "1600")
        for candidate in webp + String(picture.output.4).split(separator: ", ").map(String.init) {
            let parts = candidate.split(separator: " ")
            let url = String(parts[0]), width = Int(parts[1].dropLast())!
            #expect(url.hasPrefix("/assets/images/products/noahs-ark-coloring-pages.") && url.contains("-\(width)w."))
            let size = try ImageResizer.size(of: site.out + url, file: url)
            #expect(size.width == width && size.height == width, "\(url) is \(size)")
        }
        let first = try #require(webp.first.map { site.out + String($0.split(separator: " ")[0]) })
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: first)))
        #expect(Array(bytes[8..<12]) == Array("WEBP".utf8))
        // Cards below the fold wait for the reader (lazy); the product's own picture does not.
        let related = try #require(html.firstMatch(of: /<img src="[^"]+-640w\.jpg" srcset="[^"]+" sizes="\(min-width: 760px\) 260px, \(min-width: 480px\) 50vw, 100vw" alt="" width="1600" height="1600" loading="lazy"/))
        #expect(!related.output.isEmpty)
        // The Open Graph card: 1200×630 JPEG, named in og:image with its size.
        let card = try #require(html.firstMatch(of: /<meta property="og:image" content="https:\/\/[^\/]+(\/assets\/og\/noahs-ark-coloring-pages\.[0-9a-f]{10}\.jpg)">/))
        #expect(html.contains("<meta property=\"og:image:width\" content=\"1200\">"))
        #expect(html.contains("<meta property=\"og:image:height\" content=\"630\">"))
        #expect(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"))
        let cardSize = try ImageResizer.size(of: site.out + card.output.1, file: "card")
        #expect(cardSize.width == 1200 && cardSize.height == 630)
    }

    @Test func aSecondBuildMakesNoImageAndGivesTheSameFiles() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 900, format: "png")
        let first = try site.build()
        #expect(first.imagesMade == 2, "one cover and its card: \(first)")
        let files = site.outputFiles()
        #expect(files.filter { $0.hasPrefix("assets/images/products/raster-cover.") && $0.hasSuffix(".png") }.count == 4, "320, 640, 900 and the original")
        #expect(files.filter { $0.hasPrefix("assets/images/products/raster-cover.") && $0.hasSuffix(".webp") }.count == 3)
        // CI: the output is gone, the cache is kept.
        let kept = site.folder + "/first"
        try FileManager.default.moveItem(atPath: site.out, toPath: kept)
        let second = try site.build()
        #expect(second.imagesMade == 0, "\(second)")
        try expectSameFiles(site.out, kept, "a cached build's images")
    }

    @Test func anEditedCoverGetsNewNamesAndTheOldCopiesLeave() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 700, format: "jpg")
        try site.build()
        let before = site.read("products/noahs-ark-coloring-pages/index.html").firstMatch(of: /raster-cover\.([0-9a-f]{10})-320w\.webp/)?.output.1
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 800, format: "jpg")
        let summary = try site.build()
        #expect(summary.imagesMade == 2)
        let after = site.read("products/noahs-ark-coloring-pages/index.html")
        let key = try #require(after.firstMatch(of: /raster-cover\.([0-9a-f]{10})-800w\.jpg/)?.output.1)
        #expect(before != nil && key != before!)
        #expect(!site.outputFiles().contains { $0.contains("raster-cover.\(before!)") }, "old copies removed from the output")
        let store = ExampleSite.files(under: site.folder + "/.sitegen-cache/images").map { $0.split(separator: "/")[0] }.filter { $0 != "identity" }
        #expect(Set(store).count == 2, "the cache keeps only the new cover and card: \(Set(store))")
    }

    @Test func aSaleMakesANewCardWithTheSalePrice() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 700, format: "jpg")
        try site.build()
        let card = { site.read("products/noahs-ark-coloring-pages/index.html").firstMatch(of: /\/assets\/og\/[^"]+\.jpg/).map { String($0.output) } }
        let before = try #require(card())
        try site.edit("catalog.txt", replacing: "  price: 4.99 USD\n  released: 2024-06-14", with: "  price: 4.99 USD\n  sale-price: 2.99 USD\n  sale-starts: 2024-01-01\n  released: 2024-06-14")
        let summary = try site.build()
        #expect(summary.imagesMade == 1, "only the card: \(summary)")
        #expect(try #require(card()) != before)
    }

    @Test func aBrokenCoverIsNamedInTheError() throws {
        let site = try ExampleSite()
        try site.write("assets/images/products/broken.jpg", "not a JPEG")
        try site.edit("catalog.txt", replacing: "image: /assets/images/products/noahs-ark-coloring-pages.svg", with: "image: /assets/images/products/broken.jpg")
        let error = try #require(site.buildError())
        #expect(error.names("assets/images/products/broken.jpg", "cannot read the image"), "\(error)")
    }

    @Test func aBuildWithoutACacheLeavesNoImagesBehind() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 700, format: "jpg")
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("sitegen-images-") }
        let summary = try SiteBuild(siteFolder: site.folder, cache: .none).run()
        #expect(summary.imagesMade == 2)
        #expect(site.outputFiles().contains { $0.hasSuffix("-700w.webp") })
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("sitegen-images-\(getpid())-") }
        #expect(after.subtracting(before).isEmpty, "the temporary store is removed: \(after)")
        #expect(!FileManager.default.fileExists(atPath: site.folder + "/.sitegen-cache"))
    }

    /// A 120 × 60 JPEG stored sideways (EXIF orientation 6): shown 60 × 120; its EXIF names an
    /// artist, `SecretPhotographer`.
    static let sidewaysJPEG = "/9j/4QDcRXhpZgAASUkqAAgAAAAHABIBAwABAAAABgAAABoBBQABAAAAYgAAABsBBQABAAAAagAAACgBAwABAAAAAgAAADsBAgATAAAAcgAAABMCAwABAAAAAQAAAGmHBAABAAAAhgAAAAAAAAA4YwAA6AMAADhjAADoAwAAU2VjcmV0UGhvdG9ncmFwaGVyAAAGAACQBwAEAAAAMDIxMAGRBwAEAAAAAQIDAACgBwAEAAAAMDEwMAGgAwABAAAA//8AAAKgBAABAAAAeAAAAAOgBAABAAAAPAAAAAAAAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAA8AHgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDJooorxD7oKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKAP/Z"

    @Test func aPhotoStoredSidewaysIsMeasuredUpright() throws {
        let site = try ExampleSite()
        try site.write("assets/images/products/sideways.jpg", "")
        try Data(base64Encoded: Self.sidewaysJPEG)!.write(to: URL(fileURLWithPath: site.folder + "/assets/images/products/sideways.jpg"))
        try site.edit("catalog.txt", replacing: "image: /assets/images/products/noahs-ark-coloring-pages.svg", with: "image: /assets/images/products/sideways.jpg")
        try site.build()
        let html = site.read("products/noahs-ark-coloring-pages/index.html")
        #expect(html.contains("-60w.webp 60w\" sizes="), "one copy, 60 px wide: \(html.firstMatch(of: /<picture>.*?<\/picture>/)?.output ?? "")")
        #expect(html.contains("width=\"60\" height=\"120\""))
        // Its EXIF (here an artist's name; in a phone's photo, where it was taken) is in no copy.
        // (libvips 8.14 gives a WebP a minimal EXIF block of its own: size and resolution.)
        let copies = site.outputFiles().filter { $0.hasPrefix("assets/images/products/sideways.") && $0.contains("-60w.") }
        #expect(copies.count == 2)
        for copy in copies {
            let bytes = [UInt8](try #require(FileManager.default.contents(atPath: site.out + "/" + copy)))
            #expect(bytes.firstRange(of: Array("SecretPhotographer".utf8)) == nil, "\(copy) keeps no EXIF of the photo")
        }
    }

    @Test func aTruncatedCoverIsAnErrorNamingIt() throws {
        let site = try ExampleSite()
        let whole = try #require(FileManager.default.contents(atPath: repositoryRoot + "/assets/images/products/nativity-coloring-pages.jpg"))
        try whole.prefix(20_000).write(to: URL(fileURLWithPath: site.folder + "/assets/images/products/cut.jpg"))
        try site.edit("catalog.txt", replacing: "image: /assets/images/products/noahs-ark-coloring-pages.svg", with: "image: /assets/images/products/cut.jpg")
        let error = try #require(site.buildError())
        #expect(error.names("assets/images/products/cut.jpg", "cannot read the image"), "\(error)")
    }

    @Test func anOutputImageEditedInPlaceIsMadeAgainNotCopiedBack() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 500, format: "jpg")
        try site.build()
        let card = try #require(site.outputFiles().first { $0.hasPrefix("assets/og/") })
        let before = try #require(FileManager.default.contents(atPath: site.out + "/" + card))
        // The same size, other bytes: the output's file is the cache's (one inode).
        var edited = [UInt8](before)
        for index in 1000..<1400 { edited[index] = 0 }
        let handle = try #require(FileHandle(forWritingAtPath: site.out + "/" + card))
        try handle.write(contentsOf: Data(edited))
        try handle.close()
        try FileManager.default.removeItem(atPath: site.out)
        let summary = try site.build()
        #expect(summary.imagesMade == 1, "the card is made again: \(summary)")
        #expect(FileManager.default.contents(atPath: site.out + "/" + card) == before)
    }

    @Test func aTitleEditRendersOnlyThePagesThatShowTheProduct() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 500, format: "jpg")
        let first = try site.build()
        try site.edit("catalog.txt", replacing: "title: Noah's Ark Coloring Pages\n", with: "title: Noah's Ark Colouring Pages\n")
        let second = try site.build()
        #expect(second.imagesMade == 1, "the card: \(second)")
        #expect(second.rendered < first.pages / 2, "the card's new name is not every page's input: \(second)")
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring"))
    }

    @Test func imagesMadeByAnotherLibvipsOrSitegenAreMadeAgain() throws {
        let site = try ExampleSite()
        try site.addRasterCover(to: "noahs-ark-coloring-pages", width: 500, format: "jpg")
        try site.build()
        let identity = site.folder + "/.sitegen-cache/images/identity"
        #expect(try String(contentsOfFile: identity, encoding: .utf8).contains("libvips 8."))
        try "sitegen 0.0.1 libvips 7.0\n".write(toFile: identity, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site.out)
        let summary = try site.build()
        #expect(summary.imagesMade == 2, "\(summary)")
    }

    @Test func anSVGCoverGetsItsOwnShapesBox() throws {
        let site = try ExampleSite()
        try site.write("assets/images/products/wide.svg", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 400\"><rect width=\"800\" height=\"400\"/></svg>\n")
        try site.edit("catalog.txt", replacing: "image: /assets/images/products/noahs-ark-coloring-pages.svg", with: "image: /assets/images/products/wide.svg")
        try site.build()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("width=\"800\" height=\"400\""))
        #expect(SVGSize.of(Array("<svg width=\"300px\" viewBox=\"0 0 600 200\">".utf8))! == (300, 100))
        #expect(SVGSize.of(Array("<svg height='50' viewBox='0,0,100,200'>".utf8))! == (25, 50))
        #expect(SVGSize.of(Array("<svg width=\"120\" height=\"80\">".utf8))! == (120, 80))
        #expect(SVGSize.of(Array("<svg width=\"100%\" height=\"100%\">".utf8)) == nil)
        #expect(SVGSize.of(Array("<html></html>".utf8)) == nil)
        // Absurd sizes are unknown, not a crash; the root element is found past comments, and a
        // quoted `>` does not end its tag.
        #expect(SVGSize.of(Array("<svg width=\"1e19\" height=\"10\">".utf8)) == nil)
        #expect(SVGSize.of(Array("<svg width=\"inf\" height=\"10\">".utf8)) == nil)
        #expect(SVGSize.of(Array("<svg viewBox=\"0 0 1e30 1\">".utf8)) == nil)
        #expect(SVGSize.of(Array("<!-- <svg width=\"16\" height=\"16\"> --><svg aria-label=\"a > b\" viewBox=\"0 0\n1200\t600\">".utf8))! == (1200, 600))
        #expect(SVGSize.of(Array("<svgfoo width=\"5\" height=\"5\"/>".utf8)) == nil)
    }

    @Test func theCardIsAnSVGDocumentWithTheTitlePriceAndShop() {
        let content = OpenGraphCard.Content(shop: "Mustard & Seed", title: "Noah's Ark <Coloring> Pages", price: "$2.99", regularPrice: "$4.99")
        let svg = OpenGraphCard.svg(content, cover: ("image/jpeg", [0xFF, 0xD8, 0xFF]))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\""))
        #expect(svg.contains("MUSTARD &amp; SEED"))
        #expect(svg.contains(">Noah&apos;s Ark</text>") && svg.contains(">&lt;Coloring&gt;</text>"))
        #expect(svg.contains(">$2.99<tspan") && svg.contains("line-through") && svg.contains(">$4.99</tspan>"))
        #expect(svg.contains("href=\"data:image/jpeg;base64,/9j/\""))
        #expect(OpenGraphCard.lines("one two three four five six", width: 60, size: 10, maxLines: 2) == ["one two", "three…"])
        #expect(OpenGraphCard.lines("", width: 60, size: 10, maxLines: 3) == [])
        // However long or wide the words, no line is wider than the room (capitals are the widest).
        for title in ["Supercalifragilisticexpialidocious", "WEDDING CHECKLIST AND TIMELINE MMMM WWWW", "Noah's Ark Coloring Pages"] {
            let lines = OpenGraphCard.lines(title, width: 460, size: 56, maxLines: 4)
            #expect(!lines.isEmpty && lines.allSatisfy { OpenGraphCard.estimatedWidth($0, size: 56) <= 460 }, "\(lines)")
        }
        #expect(OpenGraphCard.lines("Supercalifragilisticexpialidocious", width: 460, size: 56, maxLines: 4).first?.hasSuffix("…") == true)
    }
}

extension ExampleSite {
    /// Points `product`'s catalog image at `assets/images/products/raster-cover.FORMAT`, a raster
    /// `width` pixels square made from the product's 1600 px cover as the repository has it.
    func addRasterCover(to product: String, width: Int, format: String) throws {
        let name = "assets/images/products/raster-cover." + format
        for other in ["jpg", "png"] { try? FileManager.default.removeItem(atPath: folder + "/assets/images/products/raster-cover." + other) }
        let source = repositoryRoot + "/assets/images/products/\(product).jpg"
        try ImageResizer.resize(source, to: folder + "/" + name + "[strip]", width: width, file: name)
        var catalog = try String(contentsOfFile: folder + "/catalog.txt", encoding: .utf8)
        for old in ["\(product).svg", "raster-cover.jpg", "raster-cover.png"] {
            catalog = catalog.replacingOccurrences(of: "image: /assets/images/products/\(old)\n", with: "image: /\(name)\n")
        }
        try catalog.write(toFile: folder + "/catalog.txt", atomically: true, encoding: .utf8)
    }
}
