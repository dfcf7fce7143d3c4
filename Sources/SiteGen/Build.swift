import ArgumentParser
import SiteBuilder

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "The output folder (default: SITE/public).")
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    @Flag(help: "Print how long each step of the build took.")
    var timings = false

    func run() throws {
        do {
            let summary = try SiteBuild(siteFolder: options.site, outFolder: out).run()
            if !quiet { print(summary) }
            if timings {
                for phase in summary.phases {
                    print("  \(phase.name): \(Int((phase.seconds * 1000).rounded())) ms")
                }
            }
        } catch {
            throw fail(error)
        }
    }
}
