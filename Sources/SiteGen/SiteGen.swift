import ArgumentParser
import Foundation
import SiteBuilder

/// `sitegen`: renders a shop from Markdown and its SQLite catalog into static HTML.
@main
struct SiteGen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        // Every command's name is given: worked out from its type's name, each cost a scan of the
        // program's conformance records at start (perf).
        commandName: "sitegen",
        abstract: "Render a digital-goods shop from Markdown and a SQLite catalog into static HTML.",
        version: SiteGenVersion.current,
        subcommands: [Build.self, Serve.self, CatalogCommand.self],
        defaultSubcommand: Build.self)

    /// ArgumentParser's own, after setting the heap up for a command that runs once (all but
    /// `serve`): before any thread has a heap of its own, which keeps the settings it started with.
    static func main() async {
        if CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }) != "serve" { OneShotMemory.configure() }
        await main(nil)
    }
}

/// Options shared by every command that works on a site.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder (holding site.yaml, content/, templates/ and the catalog).")
    var site: String = "."
}

/// Prints an error the way a user needs it and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    var standardError = FileHandle.standardError
    print(String(describing: error), to: &standardError)
    return ExitCode.failure
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}

/// Runs `work` on a thread of its own and waits for it without holding one of the threads Swift's
/// concurrency and Dispatch share. A build blocks while other threads read for it (`Pending`):
/// blocking a pool thread of two left the reading one core of two (perf, issue 17).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        // The main thread's size: Markdown and templates recurse.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
