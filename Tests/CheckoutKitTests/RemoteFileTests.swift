import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A file server standing in for a CDN or the old WordPress site that holds a shop's files.
final class FakeOrigin: Sendable {
    static let content = String(repeating: "%PDF-1.4 remote planner ", count: 400)
    let requests = Mutex<[(path: String, range: String?, encoding: String?)]>([])

    var application: some ApplicationProtocol {
        let router = Router()
        router.get("/uploads/{name}") { [self] request, context -> Response in
            let name = try context.parameters.require("name")
            requests.withLock { $0.append((request.uri.path, request.headers[.range], request.headers[.acceptEncoding])) }
            guard name == "Weekly%20Planner.pdf" || name == "Weekly Planner.pdf" else { return Response(status: .notFound) }
            let bytes = Array(Self.content.utf8)
            if let range = request.headers[.range], range.hasPrefix("bytes="),
               let bounds = Optional(range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)), bounds.count == 2,
               let first = Int(bounds[0]) {
                let last = Int(bounds[1]) ?? bytes.count - 1
                guard first < bytes.count else {
                    return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(bytes.count)"])
                }
                let end = min(last, bytes.count - 1)
                return Response(
                    status: .partialContent,
                    headers: [.contentType: "application/pdf", .contentRange: "bytes \(first)-\(end)/\(bytes.count)", .acceptRanges: "bytes"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes[first...end])))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/pdf", .acceptRanges: "bytes"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return Application(router: router)
    }
}

@Suite struct RemoteFileTests {
    /// The example's planner, delivered from a URL instead of the files folder.
    func checkout(origin port: Int, file: String = "Weekly%20Planner.pdf") throws -> TestCheckout {
        var checkout = try TestCheckout { catalog in
            catalog.replacingOccurrences(
                of: "files: products/homeschool-digital-planner.pdf", with: "files: http://127.0.0.1:\(port)/uploads/\(file)")
        }
        checkout.configuration.originTimeout = .seconds(2)
        return checkout
    }

    @Test func aRemoteFileIsStreamedToTheEntitledCustomerWithoutShowingItsURL() async throws {
        let origin = FakeOrigin()
        try await origin.application.test(.live) { originClient in
            let port = try #require(originClient.port)
            try await checkout(origin: port).run { client, control in
                let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "remote@example.com")
                let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
                let files = try #require((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])
                #expect(files.first?["name"] as? String == "Weekly Planner.pdf", "named after the URL's last segment, decoded")
                let url = try #require(files.first?["url"] as? String)
                #expect(!json.text.contains("127.0.0.1:\(port)"), "the origin URL is never shown")
                let token = try #require(url.split(separator: "/").last?.split(separator: ".").first)
                let payload = try #require(Data(base64Encoded: String(token).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/").padding(toLength: (token.count + 3) / 4 * 4, withPad: "=", startingAt: 0)))
                #expect(!String(decoding: payload, as: UTF8.self).contains("127.0.0.1"), "nor is it inside the link")

                let whole = try await client.get(url)
                #expect(whole.status == .ok)
                #expect(String(buffer: whole.body) == FakeOrigin.content)
                #expect(whole.headers[.contentType] == "application/pdf")
                #expect(whole.headers[.contentDisposition]?.contains("filename*=UTF-8''Weekly%20Planner.pdf") == true)
                #expect(whole.headers[.cacheControl] == "private, no-store")

                let part = try await client.get(url, headers: [.range: "bytes=0-7"])
                #expect(part.status == .partialContent)
                #expect(String(buffer: part.body) == "%PDF-1.4")
                #expect(part.headers[.contentRange] == "bytes 0-7/\(FakeOrigin.content.utf8.count)")
                #expect(origin.requests.withLock { $0.last?.range } == "bytes=0-7", "the range is passed on")
                #expect(origin.requests.withLock { $0.last?.encoding } == "identity", "the stored bytes, never a compressed copy")
                #expect(try await client.get(url, headers: [.range: "bytes=999999-"]).status == .rangeNotSatisfiable)

                for _ in 2...5 { #expect(try await client.get(url).status == .ok) }
                let over = try await client.get(url)
                #expect(over.status == .forbidden, "the same download limit as a local file")
                #expect(String(buffer: over.body).contains("Download limit reached"))
                let asked = origin.requests.withLock { $0.count }
                #expect(try await client.get(url).status == .forbidden)
                #expect(origin.requests.withLock { $0.count } == asked, "a spent link does not ask the origin")
                _ = control
            }
        }
    }

    @Test func aMissingRemoteFileIsA502ThatNamesNothingOfTheOrigin() async throws {
        let origin = FakeOrigin()
        try await origin.application.test(.live) { originClient in
            let port = try #require(originClient.port)
            try await checkout(origin: port, file: "gone.pdf").run { client, _ in
                let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
                let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
                let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
                let reply = try await client.get(url)
                #expect(reply.status == .badGateway)
                let page = String(buffer: reply.body)
                #expect(page.contains("not available right now"))
                #expect(!page.contains("127.0.0.1") && !page.contains("gone.pdf") && !page.contains("404"))
            }
        }
    }

    @Test func aDeadOriginIsA502AndTheServiceKeepsServing() async throws {
        // A port nothing listens on: connect is refused at once.
        try await checkout(origin: 9).run { client, _ in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await client.get(url).status == .badGateway)
            #expect(try await client.get("/healthz").status == .ok)
        }
    }
}
