import Foundation
import Testing

/// The `sitegen` executable itself: exit codes and what it prints, as scripts see them.
@Suite struct CommandLineTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    static func sitegen(_ arguments: [String], in folder: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try productsFolder().appendingPathComponent("sitegen")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: out, errors: err)
    }

    @Test func buildDefaultsToTheCurrentFolderAndItsPublicFolder() throws {
        let site = try ExampleSite()
        let run = try Self.sitegen(["build"], in: site.folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("built "))
        #expect(site.exists("index.html"))
    }

    @Test func aFailedBuildExitsNonZeroAndNamesFileAndLine() throws {
        let site = try ExampleSite()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOAH-COLORING", with: "sku: KB-NOPE")
        let run = try Self.sitegen(["build", "--site", site.folder, "--out", site.folder + "/out"])
        #expect(run.status == 1)
        #expect(run.errors.contains("content/products/noahs-ark-coloring-pages.md:2: error: 'KB-NOPE' is not a product SKU"))
        #expect(!FileManager.default.fileExists(atPath: site.folder + "/out"))
    }

    @Test func catalogImportThenBuildRendersWooCommerceProducts() throws {
        let site = try ExampleSite.empty()
        let imported = try Self.sitegen([
            "catalog", "import", "--format", "woocommerce", "/work/shared/fixtures/woocommerce-sample-products.csv", "--site", site.folder,
        ])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("imported 16 products"))
        let built = try Self.sitegen(["build", "--site", site.folder])
        #expect(built.status == 0, "\(built.errors)")
        #expect(site.exists("products/hoodie/index.html"))
    }

    @Test func anUnknownImportFormatIsNamed() throws {
        let site = try ExampleSite.empty()
        let run = try Self.sitegen(["catalog", "import", "--format", "shopify", "x.csv", "--site", site.folder])
        #expect(run.status != 0)
        #expect(run.errors.contains("'shopify' is not a format"))
    }
}

/// The folder `swift build` puts the products in, next to the test bundle.
func productsFolder() throws -> URL {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("sitegen").path) { return url }
        url.deleteLastPathComponent()
    }
    throw TestSetupError("no sitegen executable near \(CommandLine.arguments[0]); run `swift build` first")
}
