import Foundation
import Logging
import ServiceLifecycle
import SiteBuilder

/// Looks at the site's inputs every `interval` (through the file system's events, or by polling them
/// all), rebuilds what changed, and tells open pages to reload.
struct SiteWatcher: Service {
    let siteFolder: String
    let outFolder: String?
    let state: PreviewState
    let hub: ReloadHub
    let logger: Logger
    /// Time between looks at the inputs.
    let interval: Duration
    let polls: Bool
    /// Log each rebuild's step times (`sitegen serve --timings`).
    let timings: Bool

    func run() async throws {
        let session = SiteSession(siteFolder: siteFolder, outFolder: outFolder, watches: !polls)
        var told = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                switch try session.rebuild() {
                case .unchanged:
                    break
                case let .pages(count, seconds):
                    logger.info("rebuilt \(count) page\(count == 1 ? "" : "s") in \(Int(seconds * 1000)) ms\(stepTimes(session))")
                    state.set(nil)
                    hub.broadcast("reload")
                case let .full(pages, seconds):
                    logger.info("built \(pages) pages in \(Int(seconds * 1000)) ms\(stepTimes(session))")
                    state.set(nil)
                    hub.broadcast("reload")
                }
            } catch {
                for note in session.takeNotes() { logger.notice("\(note)") }
                if state.buildError?.description != error.description {
                    logger.error("\(error.description)")
                    state.set(error)
                    hub.broadcast("reload")
                }
            }
            for note in session.takeNotes() { logger.notice("\(note)") }
            if !told, polls || !session.isWatching {
                told = true
                logger.notice(polls
                    ? "--poll: every input is looked at every \(interval)"
                    : "every input is looked at every \(interval) (as with --poll): a symbolic link is among the inputs, the file system sends no change events here, or the system's limit of watches is reached")
            }
            try? await Task.sleep(for: interval)
        }
        session.finish()
        hub.finishAll()
    }

    /// `: config 0 ms, catalog 0 ms, …` with `--timings`, else nothing.
    private func stepTimes(_ session: SiteSession) -> String {
        guard timings else { return "" }
        return ": " + session.timings.map { "\($0.name) \(Int(($0.seconds * 1000).rounded())) ms" }.joined(separator: ", ")
    }
}
