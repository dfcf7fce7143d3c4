import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SiteBuilder

/// `sitegen serve`: builds the site, serves the output on 127.0.0.1, rebuilds on every change and
/// reloads open pages; a failing build is shown in the browser until it is fixed.
public struct PreviewServer: Sendable {
    public let siteFolder: String
    public let outFolder: String
    public let host: String
    public let port: Int
    let interval: Duration
    /// True to look at every input at each interval, not to learn of changes from the file system (`SiteSession`).
    let polls: Bool
    /// True to log each rebuild's step times.
    let timings: Bool

    public init(
        siteFolder: String, outFolder: String? = nil, host: String = "127.0.0.1", port: Int = 1313, interval: Duration = .milliseconds(150),
        polls: Bool = false, timings: Bool = false
    ) {
        let session = SiteSession(siteFolder: siteFolder, outFolder: outFolder)
        self.siteFolder = session.siteFolder
        self.outFolder = session.outFolder
        self.host = host
        self.port = port
        self.interval = interval
        self.polls = polls
        self.timings = timings
    }

    /// The application, for `runService()` or tests; `started` is called with the bound port.
    public func application(logger: Logger, started: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let state = PreviewState()
        let hub = ReloadHub()
        let files = PreviewFiles(root: outFolder, state: state)
        let router = Router()
        router.get("/__sitegen/live.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: PreviewFiles.liveReloadScript)))
        }
        router.get("/__sitegen/events") { _, _ in
            let stream = hub.subscribe()
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": connected\n\n"))
                    for await message in stream.cancelOnGracefulShutdown() {
                        try await writer.write(ByteBuffer(string: "data: \(message)\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("**") { request, _ in files.response(for: request.uri.path) }
        router.get("/") { request, _ in files.response(for: request.uri.path) }
        let watcher = SiteWatcher(siteFolder: siteFolder, outFolder: outFolder, state: state, hub: hub, logger: logger, interval: interval, polls: polls, timings: timings)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "sitegen"),
            services: [watcher],
            onServerRunning: { channel in started(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
