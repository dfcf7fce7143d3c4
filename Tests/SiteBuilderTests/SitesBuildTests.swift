import Foundation
import SiteBuilder
import SiteCore
import Testing

/// `sitegen build --sites DIR`: every site under a folder in one run, each exactly as its own build.
@Suite struct SitesBuildTests {
    /// A folder holding the example shop, the second example shop and a folder that is not a site.
    func sitesFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sites-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: try ExampleSite().folder, toPath: folder + "/mustard-seed")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/examples/second-shop", toPath: folder + "/harbor-knits")
        try? FileManager.default.removeItem(atPath: folder + "/harbor-knits/public")
        return folder
    }

    /// Every file under `folder`, by relative path, with its bytes.
    func files(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + path), !path.hasPrefix(".") { files[path] = data }
        }
        return files
    }

    @Test func eachSiteIsBuiltAsItsOwnBuildWouldBuildIt() throws {
        let folder = try sitesFolder()
        let outcomes = try SitesBuild(sitesFolder: folder, outFolder: folder + "/out").run()
        #expect(outcomes.map(\.name) == ["harbor-knits", "mustard-seed"], "a folder without site.yaml is not a site")
        for outcome in outcomes {
            let summary = try outcome.result.get()
            #expect(summary.pages > 10)
            let alone = folder + "/alone-" + outcome.name
            _ = try SiteBuild(siteFolder: folder + "/" + outcome.name, outFolder: alone).run()
            let (together, separate) = (files(folder + "/out/" + outcome.name), files(alone))
            #expect(together.keys.sorted() == separate.keys.sorted(), "\(outcome.name)")
            #expect(together.keys.filter { together[$0] != separate[$0] } == [], "\(outcome.name): the same bytes")
        }
        #expect(try String(contentsOfFile: folder + "/out/harbor-knits/index.html", encoding: .utf8).contains("Harbor Knitting Patterns"))
    }

    @Test func oneBrokenSiteIsNamedAndTheOthersAreBuilt() throws {
        let folder = try sitesFolder()
        let home = folder + "/harbor-knits/content/home.md"
        try (try String(contentsOfFile: home, encoding: .utf8)).replacingOccurrences(of: "\"HK-GANSEY\"", with: "\"HK-NOPE\"")
            .write(toFile: home, atomically: true, encoding: .utf8)
        let run = try CommandLineTests.sitegen(["build", "--sites", folder, "--out", folder + "/out"])
        #expect(run.status == 1)
        #expect(run.errors.contains("harbor-knits: content/home.md:"), "\(run.errors)")
        #expect(run.errors.contains("HK-NOPE"))
        #expect(run.errors.contains("sites that failed: harbor-knits"))
        #expect(run.output.contains("mustard-seed: built "))
        #expect(run.output.contains("1 of 2 sites built"))
        #expect(FileManager.default.fileExists(atPath: folder + "/out/mustard-seed/index.html"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/harbor-knits"))
    }

    @Test func aFolderWithoutSitesIsNamed() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("nosites-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try CommandLineTests.sitegen(["build", "--sites", empty])
        #expect(none.status != 0)
        #expect(none.errors.contains("\(empty): error: no site here"))
        let missing = try CommandLineTests.sitegen(["build", "--sites", empty + "/absent"])
        #expect(missing.errors.contains("\(empty)/absent: error: the sites folder does not exist"))
    }
}
