import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SitePreview

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Build the site, serve it on 127.0.0.1, rebuild on every change and reload open pages.")

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "The output folder (default: SITE/public).")
    var out: String?

    @Option(help: "Port to serve on.")
    var port: Int = 1313

    @Flag(help: "Look at every input file for changes every 150 ms instead of waiting for the file system's events (for network folders and mounts that send none).")
    var poll = false

    @Flag(help: "Print how long each step of each rebuild took.")
    var timings = false

    func run() async throws {
        var logger = Logger(label: "sitegen")
        logger.logLevel = .info
        let server = PreviewServer(siteFolder: options.site, outFolder: out, port: port, polls: poll, timings: timings)
        let app = server.application(logger: logger) { port in
            FileHandle.standardOutput.write(Data("previewing \(server.siteFolder) at http://127.0.0.1:\(port)/ (Ctrl-C stops)\n".utf8))
        }
        try await app.runService()
    }
}
