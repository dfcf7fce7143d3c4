import Foundation
@testable import SiteBuilder
import SiteCore
import Testing
import TestSupport

/// The build cache must never change what a build makes: after any edit, a build that takes pages
/// from the cache (one-shot, into the kept output or an empty one, and the preview's kept session)
/// gives exactly the files a clean build gives, byte for byte, or fails with the same errors.
@Suite struct BuildCacheTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func cachedBuildsEqualCleanBuildsAfterRandomEdits(seed: UInt64) throws {
        let site = try ExampleSite()
        var random = SplitMix64(seed: seed)
        let start = Int(Date().timeIntervalSince1970)
        var now = start
        let session = SiteSession(siteFolder: site.folder, outFolder: site.folder + "/preview", cache: .folder(site.folder + "/.preview-cache"))
        session.clock = { now }
        _ = try SiteBuild(siteFolder: site.folder, now: now).run()
        try session.rebuild()
        var reusedSome = false
        for round in 0..<12 {
            let edit = CacheEdit.allCases.randomElement(using: &random)!
            let before = try site.snapshotInputs()
            try edit.apply(to: site, round: round, random: &random)
            // Time passes too, by up to two days a round: sales start and end between builds.
            now += Int.random(in: 0...172_800, using: &random)
            // Every third round, CI's case: the output folder is gone and only the cache is kept.
            if round % 3 == 2 { try? FileManager.default.removeItem(atPath: site.out) }
            let clean = site.folder + "/clean"
            try? FileManager.default.removeItem(atPath: clean)
            let expected = Result { () throws(BuildError) in try SiteBuild(siteFolder: site.folder, outFolder: clean, now: now, cache: .none).run() }
            let cached = Result { () throws(BuildError) in try SiteBuild(siteFolder: site.folder, outFolder: site.out, now: now).run() }
            let preview = Result { () throws(BuildError) in try session.rebuild() }
            switch (expected, cached) {
            case (.success, .success(let summary)):
                reusedSome = reusedSome || summary.rendered < summary.pages
                try expectSameFiles(site.out, clean, "\(edit) in round \(round), one-shot build with the cache")
            case let (.failure(a), .failure(b)):
                #expect(a.description == b.description, "\(edit) in round \(round): the same errors")
                // Undone after the next builds below, so later rounds start from a site that builds.
            default:
                Issue.record("\(edit) in round \(round): a clean build \(expected) but a cached one \(cached)")
            }
            switch (expected, preview) {
            case (.success, .success):
                try expectSameFiles(site.folder + "/preview", clean, "\(edit) in round \(round), preview session")
            case (.failure, .failure):
                break
            default:
                Issue.record("\(edit) in round \(round): a clean build \(expected) but the preview \(preview)")
            }
            if case .failure = expected { try site.restoreInputs(from: before) }
        }
        #expect(reusedSome, "some build took pages from the cache")
    }

    @Test func aOneShotBuildAfterOneEditRendersOnlyThePagesThatShowIt() throws {
        let site = try ExampleSite()
        let first = try site.build()
        #expect(first.rendered == first.pages)
        try FileManager.default.removeItem(atPath: site.out)
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Fewer Bible stories")
        let second = try site.build()
        #expect(second.rendered == 1, "only the edited product's page: \(second)")
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Fewer Bible stories"))
        #expect(site.outputFiles().count == first.files)
        #expect(second.description.contains("(1 rendered, \(first.pages - 1) from the cache)"))
    }

    @Test func aCacheFromAnotherSitegenIsIgnoredWithANote() throws {
        let site = try ExampleSite()
        try site.build()
        let index = site.folder + "/.sitegen-cache/pages.tsv"
        let text = try String(contentsOfFile: index, encoding: .utf8)
        let other = text.replacingOccurrences(of: "\tsitegen \(SiteGenVersion.current) ", with: "\tsitegen 0.0.1 ")
        try other.write(toFile: index, atomically: true, encoding: .utf8)
        try site.edit("content/pages/about.md", replacing: "Mustard Seed", with: "Mustard-Seed")
        let summary = try site.build()
        #expect(summary.rendered == summary.pages)
        #expect(summary.notes.contains { $0.contains("ignored the build cache") && $0.contains("sitegen 0.0.1") && $0.contains(site.folder + "/.sitegen-cache") })
        // Written anew: the next build takes pages from it again.
        try site.edit("content/pages/about.md", replacing: "Mustard-Seed", with: "Mustard Seed")
        #expect(try site.build().rendered == 1)
    }

    @Test(arguments: ["truncated", "edited"])
    func aDamagedCacheIsIgnoredWithANote(damage: String) throws {
        let site = try ExampleSite()
        try site.build()
        let index = site.folder + "/.sitegen-cache/pages.tsv"
        var lines = try String(contentsOfFile: index, encoding: .utf8).components(separatedBy: "\n")
        if damage == "truncated" {
            lines.removeLast(3)
        } else {
            lines[1] = lines[1].replacingOccurrences(of: "k\t", with: "k\t1")
        }
        try lines.joined(separator: "\n").write(toFile: index, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site.out)
        let summary = try site.build()
        #expect(summary.rendered == summary.pages)
        #expect(summary.notes.contains { $0.contains("ignored the build cache") && $0.contains(index) }, "\(summary.notes)")
    }

    /// A one-edit build appends what it changed to `pages.tsv`; the appends are read back, and the
    /// index is written whole again before it grows to half as large again.
    @Test func editsAreAppendedToTheIndexUntilItIsWrittenWholeAgain() throws {
        let site = try ExampleSite()
        try site.build()
        let index = site.folder + "/.sitegen-cache/pages.tsv"
        func ends() throws -> Int {
            try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("end\t") }.count
        }
        let whole = try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n").count
        #expect(try ends() == 1)
        var counts: [Int] = []
        for round in 0..<5 {
            let product = "content/products/noahs-ark-coloring-pages.md"
            try site.write(product, site.source(product) + "\nRound \(round).\n")
            // In rounds 2 and 3 every page changes: the second makes more than half the index again.
            if round == 2 || round == 3 { try site.write("templates/footer.mustache", "<footer>Round \(round)</footer>\n") }
            // CI's case every other round: only the cache is kept.
            if round % 2 == 1 { try FileManager.default.removeItem(atPath: site.out) }
            let summary = try site.build()
            #expect(summary.rendered == (round == 2 || round == 3 ? summary.pages : 1), "round \(round): \(summary)")
            #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Round \(round)."))
            counts.append(try ends())
            #expect(try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n").count <= whole + whole / 2)
        }
        #expect(counts == [2, 3, 4, 1, 2], "appended, written whole when it grew by half, appended again")
    }

    @Test func aChangedByteInAnAppendedPartIsNoticed() throws {
        let site = try ExampleSite()
        try site.build()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Fewer Bible stories")
        try site.build()
        let index = site.folder + "/.sitegen-cache/pages.tsv"
        var text = try String(contentsOfFile: index, encoding: .utf8)
        let firstEnd = try #require(text.range(of: "\nend\t"))
        let appended = try #require(text.range(of: "\tproducts/noahs-ark-coloring-pages/index.html", range: firstEnd.upperBound..<text.endIndex))
        text.replaceSubrange(appended, with: "\tproducts/noahs-ark-coloring-pagez/index.html")
        try text.write(toFile: index, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site.out)
        let summary = try site.build()
        #expect(summary.rendered == summary.pages)
        #expect(summary.notes.contains { $0.contains("\(index) does not match its checksum") }, "\(summary.notes)")
    }

    @Test func aCachedCopyChangedInPlaceIsRenderedAgainAndOneOnlyRetimedIsNot() throws {
        let site = try ExampleSite()
        try site.build()
        try FileManager.default.removeItem(atPath: site.out)
        let cached = site.folder + "/.sitegen-cache/pages/products/easter-activity-pack/index.html"
        let retimed = site.folder + "/.sitegen-cache/pages/products/noahs-ark-coloring-pages/index.html"
        let original = try #require(FileManager.default.contents(atPath: cached))
        var bytes = [UInt8](original)
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try Data(bytes).write(to: URL(fileURLWithPath: cached))
        // Edited later than the build, as a real edit is (within the build's second the size and time would match).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: cached)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -86400)], ofItemAtPath: retimed)
        let summary = try site.build()
        #expect(summary.rendered == 1, "only the changed copy is rendered again: \(summary)")
        #expect(FileManager.default.contents(atPath: site.out + "/products/easter-activity-pack/index.html") == original)
    }

    /// The feed, sitemap and search index are linked from the cache (5 MB at 10,000 products); one
    /// edited in the output through that link is made again, not linked on.
    @Test func generatedFilesAreLinkedFromTheCacheAndOneEditedThroughItsLinkIsMadeAgain() throws {
        let site = try ExampleSite()
        try site.build()
        let clean = site.folder + "/clean"
        _ = try SiteBuild(siteFolder: site.folder, outFolder: clean, cache: .none).run()
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        let output = site.out + "/search-index.json", cached = site.folder + "/.sitegen-cache/generated/search-index.json"
        var outputInfo = stat(), cachedInfo = stat()
        #expect(stat(output, &outputInfo) == 0 && stat(cached, &cachedInfo) == 0)
        #expect(outputInfo.st_ino == cachedInfo.st_ino, "linked, not written again")
        // The same size: only its time tells.
        let handle = try #require(FileHandle(forWritingAtPath: output))
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: output)
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        try expectSameFiles(site.out, clean, "after a generated file was edited through its link")
    }

    @Test func aSecondBuildAtOnceBuildsWithoutTheCache() throws {
        let site = try ExampleSite()
        try site.build()
        let holder = BuildCache.open(folder: site.folder + "/.sitegen-cache")
        #expect(holder.cache != nil)
        try site.edit("content/pages/about.md", replacing: "Mustard Seed", with: "Mustard-Seed")
        let summary = try site.build()
        #expect(summary.rendered == summary.pages)
        #expect(summary.notes.contains { $0.contains("another sitegen is using \(site.folder)/.sitegen-cache") })
        withExtendedLifetime(holder) {}
    }

    @Test func noCacheRendersEveryPageAndLeavesTheCacheAlone() throws {
        let site = try ExampleSite()
        try site.build()
        let before = try String(contentsOfFile: site.folder + "/.sitegen-cache/pages.tsv", encoding: .utf8)
        try site.edit("content/pages/about.md", replacing: "Mustard Seed", with: "Mustard-Seed")
        let summary = try SiteBuild(siteFolder: site.folder, cache: .none).run()
        #expect(summary.rendered == summary.pages)
        #expect(try String(contentsOfFile: site.folder + "/.sitegen-cache/pages.tsv", encoding: .utf8) == before)
    }

    @Test func aNoteReachesStandardErrorEvenWithQuiet() throws {
        let site = try ExampleSite()
        try site.build()
        try "garbage\n".write(toFile: site.folder + "/.sitegen-cache/pages.tsv", atomically: true, encoding: .utf8)
        let run = try CommandLineTests.sitegen(["build", "--site", site.folder, "--quiet"])
        #expect(run.status == 0)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("note: ignored the build cache in \(site.folder)/.sitegen-cache"), "\(run.errors)")
        let both = try CommandLineTests.sitegen(["build", "--sites", site.folder, "--cache-dir", "/tmp/x"])
        #expect(both.status != 0 && both.errors.contains("--cache-dir cannot be used with --sites"), "\(both.errors)")
    }

    @Test func aClearedCacheIsFilledByTheNextBuildThoughNothingElseChanged() throws {
        let site = try ExampleSite()
        try site.build()
        try FileManager.default.removeItem(atPath: site.folder + "/.sitegen-cache")
        let summary = try site.build()
        #expect(!summary.upToDate && summary.rendered == summary.pages)
        #expect(FileManager.default.fileExists(atPath: site.folder + "/.sitegen-cache/pages.tsv"))
    }

    @Test func aSymlinkedContentFileIsBuilt() throws {
        let site = try ExampleSite()
        let about = site.folder + "/content/pages/about.md"
        try FileManager.default.moveItem(atPath: about, toPath: site.folder + "/about-elsewhere.md")
        try FileManager.default.createSymbolicLink(atPath: about, withDestinationPath: site.folder + "/about-elsewhere.md")
        try site.build()
        #expect(site.read("about/index.html").contains("mustard seed"))
    }

    @Test func aLinkedFolderInStaticOrTheFilesFolderIsRead() throws {
        let site = try ExampleSite()
        let shared = site.folder + "-shared"
        try FileManager.default.createDirectory(atPath: shared + "/fonts", withIntermediateDirectories: true)
        try "hello".write(toFile: shared + "/hello.txt", atomically: true, encoding: .utf8)
        try "font".write(toFile: shared + "/fonts/face.woff2", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: site.folder + "/static", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.folder + "/static/shared", withDestinationPath: shared)
        try site.build()
        #expect(site.read("shared/hello.txt") == "hello")
        #expect(site.read("shared/fonts/face.woff2") == "font")
        // The files folder itself a link (to a larger disk, say): the catalog's files are found there.
        try FileManager.default.moveItem(atPath: site.folder + "/files", toPath: site.folder + "-files")
        try FileManager.default.createSymbolicLink(atPath: site.folder + "/files", withDestinationPath: site.folder + "-files")
        try site.build()
        try FileManager.default.removeItem(atPath: site.folder + "-files/products/noahs-ark-coloring-pages-guide.pdf")
        let error = try #require(site.buildError(), "a file the catalog names is gone")
        #expect(error.description.contains("noahs-ark-coloring-pages-guide.pdf"))
    }

    @Test func aStaticFileAtAPagesPathNeverWritesIntoTheCache() throws {
        let site = try ExampleSite()
        try site.write("static/404.html", "<p>static</p>\n")
        let summary = try site.build()
        #expect(summary.notes.contains("static/404.html replaces the page the build makes at /404.html"), "\(summary.notes)")
        #expect(site.read("404.html") == "<p>static</p>\n")
        // The cache keeps no copy there: the output's file is the static one, not the page.
        let cached = site.folder + "/.sitegen-cache/pages/404.html"
        #expect(!FileManager.default.fileExists(atPath: cached))
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        #expect(!FileManager.default.fileExists(atPath: cached))
        #expect(site.read("404.html") == "<p>static</p>\n")
    }

    /// A cache on another file system than the output (a tmpfs, here): no page can be linked early,
    /// none is copied in its place, and no folder is left behind for a page the site no longer has.
    @Test func aCacheOnAnotherFileSystemGivesTheCleanBuildsFilesAndFolders() throws {
        let site = try ExampleSite()
        let cache = "/dev/shm/sitegen-cache-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: cache) }
        _ = try SiteBuild(siteFolder: site.folder, cache: .folder(cache)).run()
        try FileManager.default.removeItem(atPath: site.folder + "/content/pages/licence.md")
        for file in ["content/plans.md", "content/pages/faq.md", "content/pages/terms.md"] {
            try site.write(file, site.source(file).replacingOccurrences(of: "(/licence/)", with: "(/contact/)"))
        }
        try FileManager.default.removeItem(atPath: site.out)
        let clean = site.folder + "/clean"
        _ = try SiteBuild(siteFolder: site.folder, outFolder: clean, cache: .none).run()
        _ = try SiteBuild(siteFolder: site.folder, cache: .folder(cache)).run()
        try expectSameFiles(site.out, clean, "a cache on another file system")
        #expect(!FileManager.default.fileExists(atPath: site.out + "/licence"))
    }

    /// A static file at a page's path of the page's very size (which the cache's size check would
    /// pass) is never kept as the page: once it is removed, the page comes back as a clean build makes it.
    @Test func aStaticFileOfThePagesSizeIsNotKeptAsThePage() throws {
        let site = try ExampleSite()
        try site.build()
        try site.write("templates/footer.mustache", "<footer>Edited</footer>\n")
        let clean = site.folder + "/clean"
        _ = try SiteBuild(siteFolder: site.folder, outFolder: clean, cache: .none).run()
        let size = try #require(FileManager.default.contents(atPath: clean + "/404.html")).count
        let custom = "<p>custom 404</p>"
        try site.write("static/404.html", custom + String(repeating: "x", count: size - custom.utf8.count))
        try site.build()
        #expect(site.read("404.html").hasPrefix(custom))
        try FileManager.default.removeItem(atPath: site.folder + "/static/404.html")
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        try expectSameFiles(site.out, clean, "the static file removed")
    }

    /// Into a kept output, the page is staged first and the static file then found in place: the
    /// static file must still be what the output holds, as after a build into an empty folder.
    @Test func aStaticFileAtAPagesPathStaysWhenTheOutputIsKept() throws {
        let site = try ExampleSite()
        try site.write("static/404.html", "<p>static</p>\n")
        try site.build()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Very few Bible stories")
        let summary = try site.build()
        #expect(!summary.upToDate)
        #expect(site.read("404.html") == "<p>static</p>\n")
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Very few Bible stories"))
        #expect(try site.build().upToDate, "the output as recorded")
    }

    /// Into an empty output the cache's pages are linked before the build knows which it keeps: a
    /// page the site no longer has, a page rendered again and a static file at a page's path must
    /// all come out as a clean build makes them, and the cache's copies of kept pages as they were.
    @Test func pagesStagedEarlyIntoAnEmptyOutputComeOutAsACleanBuildMakesThem() throws {
        let site = try ExampleSite()
        try site.build()
        let clean = site.folder + "/clean"
        func expectCleanBuildsFiles(_ what: String) throws -> SiteBuild.Summary {
            try? FileManager.default.removeItem(atPath: site.out)
            try? FileManager.default.removeItem(atPath: clean)
            _ = try SiteBuild(siteFolder: site.folder, outFolder: clean, cache: .none).run()
            let summary = try site.build()
            try expectSameFiles(site.out, clean, what)
            return summary
        }
        // A page gone (and the links to it: every page is rendered again), and a static file at a page's path.
        try FileManager.default.removeItem(atPath: site.folder + "/content/pages/licence.md")
        for file in ["content/plans.md", "content/pages/faq.md", "content/pages/terms.md"] {
            try site.write(file, site.source(file).replacingOccurrences(of: "(/licence/)", with: "(/contact/)"))
        }
        try site.write("static/404.html", "<p>static</p>\n")
        _ = try expectCleanBuildsFiles("a page removed")
        #expect(!FileManager.default.fileExists(atPath: site.out + "/licence"), "its folder is gone too")
        #expect(site.read("404.html") == "<p>static</p>\n")
        // One product edited: one page rendered over its early link, the others kept as linked.
        let keptCopy = site.folder + "/.sitegen-cache/pages/products/easter-activity-pack/index.html"
        let before = try #require(FileManager.default.contents(atPath: keptCopy))
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Fewer Bible stories")
        let summary = try expectCleanBuildsFiles("one product edited")
        // And the page under static/404.html, which the cache never keeps (the output's file there is the static one).
        #expect(summary.rendered == 2, "\(summary)")
        #expect(FileManager.default.contents(atPath: keptCopy) == before, "the cache's copy as it was")
        #expect(site.read("404.html") == "<p>static</p>\n")
    }

    @Test func aKilledBuildsStagingFolderIsRemovedByTheNext() throws {
        let site = try ExampleSite()
        // A process id no process has (pid_max is at most 2^22).
        let abandoned = site.folder + "/.public.staging-99999999"
        try FileManager.default.createDirectory(atPath: abandoned + "/products", withIntermediateDirectories: true)
        try site.build()
        #expect(!FileManager.default.fileExists(atPath: abandoned))
    }

}

/// The kinds of edit a site's author makes, each small and, mostly, leaving the site valid.
enum CacheEdit: CaseIterable {
    case contentBody, catalogTitle, catalogPrice, featured, partialTemplate, pageTemplate, siteYAML, image, newPage, removeCopy, embed
    case sale, archive, soldOut, bundleDiscount, bundleTags, pageSize, newTemplate, summary, removeProduct, rasterCover
    case frontMatter, draft, lineEndings, staticAtPage

    func apply(to site: ExampleSite, round: Int, random: inout SplitMix64) throws {
        switch self {
        case .contentBody:
            let file = try pick(ExampleSite.files(under: site.folder + "/content").map { "content/" + $0 }, &random)
            try append(site, file, "\nEdited in round \(round).\n")
        case .catalogTitle:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  title: ") }) { $0 + " R\(round)" }
        case .catalogPrice:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  price: ") && $0.hasSuffix(" USD") }) { line in
                let amount = line.dropFirst("  price: ".count).dropLast(" USD".count)
                let cents = Int(amount.replacingOccurrences(of: ".", with: "")) ?? 100
                return String(format: "  price: %d.%02d USD", (cents + 100) / 100, (cents + 100) % 100)
            }
        case .featured:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  niche: ") }) { $0 + "\n  featured: yes" }
        case .partialTemplate:
            try append(site, "templates/footer.mustache", "<!-- round \(round) -->\n")
        case .pageTemplate:
            let name = try pick(["product", "niche", "product-card", "home", "bundle"], &random)
            let path = "templates/\(name).mustache"
            if !FileManager.default.fileExists(atPath: site.folder + "/" + path) {
                let bytes = BuiltInTheme.templates.first { $0.0 == name }!.1
                try site.write(path, String(decoding: bytes, as: UTF8.self))
            }
            try append(site, path, "<!-- round \(round) -->\n")
        case .siteYAML:
            try site.edit("site.yaml", replacing: "tagline: ", with: "tagline: R\(round) ")
        case .image:
            let file = try pick(ExampleSite.files(under: site.folder + "/assets/images/products").map { "assets/images/products/" + $0 }, &random)
            try append(site, file, "<!-- round \(round) -->\n")
        case .rasterCover:
            // A product gets (or changes) a raster cover: resized copies and a card to make or keep.
            let product = try pick(["noahs-ark-coloring-pages", "creation-week-coloring-book"], &random)
            try site.addRasterCover(to: product, width: Int.random(in: 360...720, using: &random), format: try pick(["jpg", "png"], &random))
        case .staticAtPage:
            // A hand-made file at a page's path replaces the page; removing it brings the page back.
            let path = "static/404.html"
            if FileManager.default.fileExists(atPath: site.folder + "/" + path), Bool.random(using: &random) {
                try FileManager.default.removeItem(atPath: site.folder + "/" + path)
            } else {
                try site.write(path, "<p>static \(round)</p>\n")
            }
        case .newPage:
            try site.write("content/pages/extra-\(round).md", "---\ntitle: Extra \(round)\nmenu: footer\n---\nSee [the shop](/shop/).\n")
        case .removeCopy:
            let file = try pick(ExampleSite.files(under: site.folder + "/content/products").map { "content/products/" + $0 }, &random)
            try FileManager.default.removeItem(atPath: site.folder + "/" + file)
        case .sale:
            // A sale at half the price from a day or two ahead (or behind) for two days, on any product.
            let day = Date(timeIntervalSince1970: Double(Int(Date().timeIntervalSince1970) + Int.random(in: -2...3, using: &random) * 86_400))
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.timeZone = TimeZone(identifier: "UTC")
            let end = formatter.string(from: day.addingTimeInterval(2 * 86_400))
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  price: ") && $0.hasSuffix(" USD") && !$0.contains("0.00") }) { line in
                line + "\n  sale-price: 0.50 USD\n  sale-starts: \(formatter.string(from: day))\n  sale-ends: \(end)"
            }
        case .archive:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  niche: ") }) { $0 + "\n  status: archived" }
        case .soldOut:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  niche: ") }) { $0 + "\n  stock: 0" }
        case .bundleDiscount:
            let discount = Int.random(in: 5...60, using: &random)
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  discount: ") && $0.hasSuffix("%") }) { _ in "  discount: \(discount)%" }
        case .bundleTags:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  tags: ") }) { $0 + ", planner" }
        case .pageSize:
            try site.edit("site.yaml", replacing: "products_per_page: ", with: "products_per_page: 1")
        case .newTemplate:
            // A site template overriding a built-in one that has none yet (a partial, a card or a page).
            let name = try pick(["header", "bundle-card", "plans", "magnet", "shop"], &random)
            guard let builtIn = BuiltInTheme.templates.first(where: { $0.0 == name }) else { throw TestSetupError("no template \(name)") }
            try site.write("templates/\(name).mustache", String(decoding: builtIn.1, as: UTF8.self) + "<!-- override \(round) -->\n")
        case .summary:
            try editCatalogLine(site, &random, where: { $0.hasPrefix("  summary: ") }) { $0 + " Now \(round)." }
        case .removeProduct:
            // The whole record goes, which the content and other pages may still name: both builds fail alike, or not.
            var lines = try site.source("catalog.txt").components(separatedBy: "\n")
            let starts = lines.indices.filter { lines[$0].hasPrefix("product ") }
            let at = try pick(starts, &random)
            var end = at + 1
            while end < lines.count, !lines[end].isEmpty { end += 1 }
            lines.removeSubrange(at..<end)
            try site.write("catalog.txt", lines.joined(separator: "\n"))
        case .frontMatter:
            // A product copy's front matter (what `content.tsv` keeps), not its body.
            let file = try pick(ExampleSite.files(under: site.folder + "/content/products").map { "content/products/" + $0 }, &random)
            let text = try site.source(file)
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where text.contains("\ndescription: "): try site.edit(file, replacing: "\ndescription: ", with: "\ndescription: R\(round) ")
            case 1 where text.contains("\nhighlights:"): try site.edit(file, replacing: "\nhighlights:", with: "\nhighlights:\n  - Round \(round)")
            case 2 where !text.contains("\ntitle: "): try insertAfterFirstLine(site, file, "title: Round \(round)")
            default: try insertAfterFirstLine(site, file, "headline: Round \(round)")
            }
        case .draft:
            let file = try pick(ExampleSite.files(under: site.folder + "/content").filter { !$0.hasPrefix("pages/") }.map { "content/" + $0 }, &random)
            let text = try site.source(file)
            if let line = text.range(of: "draft: true\r\n") ?? text.range(of: "draft: true\n") {
                try site.write(file, text.replacingCharacters(in: line, with: ""))
            } else {
                try insertAfterFirstLine(site, file, "draft: true")
            }
        case .lineEndings:
            // The same copy with a byte order mark and CRLF line ends: other bytes, the same pages.
            let file = try pick(ExampleSite.files(under: site.folder + "/content").map { "content/" + $0 }, &random)
            let text = try site.source(file)
            if !text.hasPrefix("\u{FEFF}") { try site.write(file, "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")) }
        case .embed:
            let catalog = try site.source("catalog.txt")
            let skus = catalog.split(separator: "\n").filter { $0.hasPrefix("product ") }.map { String($0.dropFirst("product ".count)) }
            let file = try pick(ExampleSite.files(under: site.folder + "/content/pages").map { "content/pages/" + $0 }, &random)
            try append(site, file, "\n{{< product \"\(try pick(skus, &random))\" >}}\n")
        }
    }

    private func pick<T>(_ items: [T], _ random: inout SplitMix64) throws -> T {
        guard let item = items.randomElement(using: &random) else { throw TestSetupError("nothing to pick from") }
        return item
    }

    /// Adds a front matter line after the file's first (`---`), in the file's own line ends.
    private func insertAfterFirstLine(_ site: ExampleSite, _ file: String, _ line: String) throws {
        let text = try site.source(file)
        guard text.hasPrefix("---") || text.hasPrefix("\u{FEFF}---"), let end = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" })
        else { return }
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        try site.write(file, String(text[...end]) + line + newline + String(text[text.index(after: end)...]))
    }

    private func append(_ site: ExampleSite, _ file: String, _ text: String) throws {
        try site.write(file, try site.source(file) + text)
    }

    private func editCatalogLine(
        _ site: ExampleSite, _ random: inout SplitMix64, where matches: (String) -> Bool, _ change: (String) -> String
    ) throws {
        var lines = try site.source("catalog.txt").components(separatedBy: "\n")
        let candidates = lines.indices.filter { matches(lines[$0]) }
        let at = try pick(candidates, &random)
        lines[at] = change(lines[at])
        try site.write("catalog.txt", lines.joined(separator: "\n"))
    }
}
