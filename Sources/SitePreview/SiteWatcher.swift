import Foundation
import Logging
import ServiceLifecycle
import SiteBuilder

/// Polls the site's inputs, rebuilds what changed, and tells open pages to reload.
struct SiteWatcher: Service {
    let siteFolder: String
    let outFolder: String?
    let state: PreviewState
    let hub: ReloadHub
    let logger: Logger
    /// Time between looks at the inputs.
    let interval: Duration

    func run() async throws {
        let session = SiteSession(siteFolder: siteFolder, outFolder: outFolder)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                switch try session.rebuild() {
                case .unchanged:
                    break
                case let .pages(count, seconds):
                    logger.info("rebuilt \(count) page\(count == 1 ? "" : "s") in \(Int(seconds * 1000)) ms")
                    state.set(nil)
                    hub.broadcast("reload")
                case let .full(pages, seconds):
                    logger.info("built \(pages) pages in \(Int(seconds * 1000)) ms")
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
            try? await Task.sleep(for: interval)
        }
        session.finish()
        hub.finishAll()
    }
}
