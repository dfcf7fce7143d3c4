import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct LeadTests {
    /// A lead → the confirmation email → its link confirms and sends the shopper to the download.
    @Test func aLeadConfirmsAndDownloads() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let reply = try await client.json(.post, "/api/leads", ["email": "Lead@Example.com", "magnet": "scripture-memory-cards"])
            #expect(reply.status == .accepted)
            await control.sendPendingMail()
            let email = try #require(checkout.emails().first)
            #expect(email.to == "Lead@example.com")
            #expect(email.subject.contains("Confirm your email"))
            let confirm = try #require(email.links.first { $0.contains("/leads/confirm/") })
            let confirmed = try await client.get(confirm)
            #expect(confirmed.status == .found)
            let download = try #require(confirmed.headers[.location])
            #expect(download.contains("/downloads/"))
            let file = try await client.get(download)
            #expect(file.status == .ok)
            #expect(file.headers[.contentDisposition]?.contains("scripture-memory-cards.pdf") == true)
        }
    }

    @Test func theSameAddressTwiceIsOneLead() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            for _ in 0..<2 {
                let reply = try await client.json(.post, "/api/leads", ["email": "twice@example.com", "magnet": "scripture-memory-cards"])
                #expect(reply.status == .accepted)
            }
            await control.sendPendingMail()
            #expect(checkout.emails().count == 1, "one lead, one confirmation")
        }
    }

    @Test func aPlainFormPostRedirectsBackToThePage() async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(
                uri: "/api/leads", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "email=form%40example.com&magnet=scripture-memory-cards&return_to=%2Ffree%2Fscripture-memory-cards%2F"))
            #expect(response.status == .found)
            #expect(response.headers[.location] == "https://shop.example/free/scripture-memory-cards/#lead-sent")
            let offsite = try await client.execute(
                uri: "/api/leads", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "email=f2%40example.com&magnet=scripture-memory-cards&return_to=https%3A%2F%2Fevil.example%2F"))
            #expect(offsite.headers[.location]?.hasPrefix("https://shop.example/") == true, "never redirects off the site")
        }
    }

    @Test func badLeadsNameTheField() async throws {
        try await TestCheckout().run { client in
            let magnet = try await client.json(.post, "/api/leads", ["email": "a@example.com", "magnet": "nothing"])
            #expect(magnet.status == .unprocessableContent)
            #expect(magnet.errorField == "magnet")
            let email = try await client.json(.post, "/api/leads", ["email": "a-at-example", "magnet": "scripture-memory-cards"])
            #expect(email.errorField == "email")
            let confirm = try await client.execute(uri: "/leads/confirm/nope", method: .get)
            #expect(confirm.status == .notFound)
        }
    }

    @Test func leadsAreRateLimitedPerAddressAndPerIP() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.leadLimitPerAddress = .init(limit: 2, window: 3600)
        checkout.configuration.leadLimitPerIP = .init(limit: 4, window: 3600)
        try await checkout.run { client in
            for _ in 0..<2 {
                let reply = try await client.json(.post, "/api/leads", ["email": "same@example.com", "magnet": "scripture-memory-cards"])
                #expect(reply.status == .accepted)
            }
            #expect(try await client.json(.post, "/api/leads", ["email": "same@example.com", "magnet": "scripture-memory-cards"]).status == .tooManyRequests)
            #expect(try await client.json(.post, "/api/leads", ["email": "other@example.com", "magnet": "scripture-memory-cards"]).status == .accepted)
            // Four requests so far from this address's IP, the refused one included: the fifth is over.
            #expect(try await client.json(.post, "/api/leads", ["email": "third@example.com", "magnet": "scripture-memory-cards"]).status == .tooManyRequests, "per IP")
        }
    }
}
