import ArgumentParser
import Foundation
import SiteBuilder

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into the output folder.")

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "The output folder (default: SITE/public); with --sites, each site goes to OUT/NAME.")
    var out: String?

    @Option(name: .long, help: "Build every site under this folder (each subfolder holding a site.yaml) in one run.")
    var sites: String?

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    @Flag(help: "Print how long each step of the build took.")
    var timings = false

    @Option(name: .long, help: "The build cache's folder (default: SITE/.sitegen-cache); CI keeps it between runs.")
    var cacheDir: String?

    @Flag(name: .long, help: "Render every page without reading or writing the build cache.")
    var noCache = false

    func run() async throws {
        try await onOwnThread { try buildSync() }
    }

    private func buildSync() throws {
        if let sites { return try buildAll(sites) }
        do {
            var build = SiteBuild(siteFolder: options.site, outFolder: out, cache: cacheLocation)
            build.leavesMemoryToExit = true
            let summary = try build.run()
            if !quiet { print(summary) }
            // Notes go to standard error, --quiet or not: CI logs should show a cache that was ignored.
            var standardError = FileHandle.standardError
            for note in summary.notes { print("note: " + note, to: &standardError) }
            if timings {
                for phase in summary.phases {
                    print("  \(phase.name): \(Int((phase.seconds * 1000).rounded())) ms")
                }
            }
        } catch {
            throw fail(error)
        }
    }

    func validate() throws {
        if sites != nil, cacheDir != nil {
            throw ValidationError("--cache-dir cannot be used with --sites: each site keeps its own .sitegen-cache (--no-cache turns them off)")
        }
    }

    var cacheLocation: SiteBuild.CacheLocation {
        if noCache { return .none }
        return cacheDir.map { .folder($0) } ?? .default
    }

    /// Builds every site under `folder`; prints one line a site, every error with its site, and fails
    /// when any site failed.
    private func buildAll(_ folder: String) throws {
        let started = Date()
        let outcomes: [SitesBuild.Outcome]
        do { outcomes = try SitesBuild(sitesFolder: folder, outFolder: out, cache: noCache ? .none : .default).run() } catch { throw fail(error) }
        var failed: [String] = []
        for outcome in outcomes {
            switch outcome.result {
            case .success(let summary):
                if !quiet { print("\(outcome.name): \(summary)") }
            case .failure(let error):
                failed.append(outcome.name)
                var standardError = FileHandle.standardError
                for diagnostic in error.diagnostics { print("\(outcome.name): \(diagnostic)", to: &standardError) }
            }
        }
        if !quiet {
            print("\(outcomes.count - failed.count) of \(outcomes.count) sites built in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        }
        if !failed.isEmpty {
            var standardError = FileHandle.standardError
            print("sites that failed: \(failed.joined(separator: ", "))", to: &standardError)
            throw ExitCode.failure
        }
    }
}
