import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SitePreview
import Testing

@Suite struct PreviewServerTests {
    /// Reads a server-sent event stream one chunk at a time.
    struct EventReader {
        var iterator: HTTPClientResponse.Body.AsyncIterator
        mutating func next() async throws -> String { String(buffer: try await iterator.next() ?? ByteBuffer()) }

        /// Waits for reloads until `shows` is true of what the server answers then: the first build's
        /// reload may still be on its way after its output is there (the stream's deadline bounds the wait).
        mutating func reload(until shows: () async throws -> Bool) async throws -> Bool {
            for _ in 0..<3 {
                guard try await next().contains("data: reload") else { return false }
                if try await shows() { return true }
            }
            return false
        }
    }

    @Test func servesPagesWithLiveReloadAndReloadsAfterAnEdit() async throws {
        let site = try ExampleSite()
        try site.write("content/pages/über-uns.md", "---\ntitle: Über uns\n---\n\nWir.\n")
        let server = PreviewServer(siteFolder: site.folder, interval: .milliseconds(20))
        let started = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "preview")
        logger.logLevel = .warning
        let app = server.application(logger: logger) { port in started.continuation.yield(port) }
        try await app.test(.live) { client in
            // Subscribe first, then wait for the first build's reload, so every later event is an edit's.
            var request = HTTPClientRequest(url: "http://localhost:\(try #require(client.port))/__sitegen/events")
            request.method = .GET
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var events = EventReader(iterator: response.body.makeAsyncIterator())
            #expect(try await events.next().contains("connected"))
            if !site.exists("index.html") { #expect(try await events.next().contains("reload")) }

            let page = try await client.execute(uri: "/products/noahs-ark-coloring-pages/", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<script src=\"/__sitegen/live.js\"></script></body>"))
            #expect(String(buffer: try await client.execute(uri: "/__sitegen/live.js", method: .get).body).contains("EventSource"))

            let product = "/products/noahs-ark-coloring-pages/"
            try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Live edited stories")
            #expect(try await events.reload { String(buffer: try await client.execute(uri: product, method: .get).body).contains("Live edited stories") })

            try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOAH-COLORING", with: "sku: KB-NOPE")
            #expect(try await events.reload { try await client.execute(uri: product, method: .get).status == .internalServerError })
            let broken = try await client.execute(uri: product, method: .get)
            #expect(String(buffer: broken.body).contains("content/products/noahs-ark-coloring-pages.md:2"))
            #expect(String(buffer: broken.body).contains("live.js"), "the error page reloads itself too")

            try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOPE", with: "sku: KB-NOAH-COLORING")
            #expect(try await events.reload { try await client.execute(uri: product, method: .get).status == .ok }, "fixed without a restart")
            let encoded = try await client.execute(uri: "/%C3%BCber-uns/", method: .get)
            #expect(encoded.status == .ok && String(buffer: encoded.body).contains("Wir."), "a percent-encoded URL finds its page")
            #expect(try await client.execute(uri: "/no/such/page/", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/../site.yaml", method: .get).status == .notFound)
        }
    }
}
