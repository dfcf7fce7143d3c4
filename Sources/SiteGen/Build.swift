import ArgumentParser
import SiteBuilder

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "The output folder (default: SITE/public).")
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    func run() throws {
        do {
            let summary = try SiteBuild(siteFolder: options.site, outFolder: out).run()
            if !quiet { print(summary) }
        } catch {
            throw fail(error)
        }
    }
}
