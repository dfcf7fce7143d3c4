@testable import CheckoutKit
import Foundation
import HummingbirdTesting
import Testing

@Suite struct EmailTests {
    /// A retry after a crash between writing the `.eml` and marking it sent rewrites the same file.
    @Test func sendingTheSameEmailTwiceLeavesOneFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        let sender = FolderMailSender(folder: folder)
        let mail = OutgoingMail(id: "mail_1", from: "Shop <shop@example.com>", to: "a@example.com", subject: "Grüße", body: "Hi\n", created: 0)
        try await sender.send(mail)
        try await sender.send(mail)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mail_1.eml"])
        let text = try String(contentsOfFile: folder + "/mail_1.eml", encoding: .utf8)
        #expect(text.contains("Subject: =?utf-8?B?"), "non-ASCII subjects are encoded")
        #expect(text.contains("Message-ID: <mail_1@checkout>\r\n"))
        #expect(text.hasSuffix("\r\n\r\nHi\r\n"))
    }

    @Test func aSiteCanReplaceAnEmailTemplate() async throws {
        let checkout = try TestCheckout()
        try FileManager.default.createDirectory(atPath: checkout.folder + "/site/templates/emails", withIntermediateDirectories: true)
        try "Subject: Thanks from {{shop}}\n\nYour total was {{total}}.\n".write(
            toFile: checkout.folder + "/site/templates/emails/receipt.mustache", atomically: true, encoding: .utf8)
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            await control.sendPendingMail()
            let receipt = try #require(checkout.emails().first)
            #expect(receipt.subject == "Thanks from Mustard Seed Printables")
            #expect(receipt.body.contains("Your total was $12.99."))
        }
    }

    @Test func aBrokenEmailTemplateStopsStartupNamingTheFile() async throws {
        let checkout = try TestCheckout()
        try FileManager.default.createDirectory(atPath: checkout.folder + "/site/templates/emails", withIntermediateDirectories: true)
        try "Subject: x\n\n{{#open}}\n".write(toFile: checkout.folder + "/site/templates/emails/magic-link.mustache", atomically: true, encoding: .utf8)
        await #expect { _ = try await checkout.app() } throws: {
            String(describing: $0).contains("templates/emails/magic-link.mustache") && String(describing: $0).contains("never closed")
        }
    }

    /// An email template saved with CR LF or a byte-order mark reads as with LF: no `\r` or BOM in the
    /// subject or body, and the same error line when it is broken.
    @Test func emailTemplatesReadTheSameWithCRLFAndABOM() async throws {
        let checkout = try TestCheckout()
        try FileManager.default.createDirectory(atPath: checkout.folder + "/site/templates/emails", withIntermediateDirectories: true)
        try "\u{FEFF}Subject: Your files from {{shop}}\r\n\r\nHello,\r\nthanks.\r\n".write(
            toFile: checkout.folder + "/site/templates/emails/receipt.mustache", atomically: true, encoding: .utf8)
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "crlf@example.com")
            await control.sendPendingMail()
            let receipt = try #require(checkout.emails().last)
            #expect(receipt.subject == "Your files from Mustard Seed Printables")
            #expect(receipt.body == "Hello,\r\nthanks.\r\n", "\(receipt.body.debugDescription)")
        }
        let broken = try TestCheckout()
        try FileManager.default.createDirectory(atPath: broken.folder + "/site/templates/emails", withIntermediateDirectories: true)
        try "Subject: x\r\n\r\n{{#open}}\r\n".write(toFile: broken.folder + "/site/templates/emails/magic-link.mustache", atomically: true, encoding: .utf8)
        let lf = try TestCheckout()
        try FileManager.default.createDirectory(atPath: lf.folder + "/site/templates/emails", withIntermediateDirectories: true)
        try "Subject: x\n\n{{#open}}\n".write(toFile: lf.folder + "/site/templates/emails/magic-link.mustache", atomically: true, encoding: .utf8)
        func startupError(_ checkout: TestCheckout) async -> String {
            do { _ = try await checkout.app() } catch { return String(describing: error) }
            return ""
        }
        let expected = await startupError(lf)
        #expect(!expected.isEmpty)
        #expect(await startupError(broken) == expected)
    }

    @Test func emailCanGoOutBySMTP() async throws {
        try await FakeSMTPServer.withServer { server in
            var checkout = try TestCheckout()
            checkout.configuration.smtpURL = "smtp://127.0.0.1:\(server.port)"
            checkout.configuration.mailFrom = "Mustard Seed <hello@mustardseed.example>"
            try await checkout.run { client, control in
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "smtp@example.com")
                await control.sendPendingMail()
            }
            let message = try #require(await server.sessions(atLeast: 1).first?.messages.first)
            #expect(message.sender == "hello@mustardseed.example")
            #expect(message.recipients == ["smtp@example.com"])
            #expect(String(decoding: message.data, as: UTF8.self).contains("Subject: Your Mustard Seed Printables order"))
        }
    }

    @Test func aFailingSenderIsRetriedLaterAndCounted() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.smtpURL = "smtp://127.0.0.1:1"
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            #expect(await control.sendPendingMail() == 0)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let failures = metrics.split(separator: "\n").first { $0.hasPrefix("checkout_email_failures_total ") }
            #expect((failures?.split(separator: " ").last.flatMap { Int($0) } ?? 0) >= 1)
        }
    }

    /// A relay's 5xx is final: the email is marked failed and not tried again; a 4xx is tried again later.
    @Test(arguments: [(550, 1), (451, 2)])
    func permanentRefusalsAreNotRetriedAndTransientOnesAre(code: Int, attemptsAfterAnHour: Int) async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.rcpt] = .init(code, "\(code / 100).1.1 refused by the test relay")
        try await FakeSMTPServer.withServer(options) { server in
            var checkout = try TestCheckout()
            checkout.configuration.smtpURL = "smtp://127.0.0.1:\(server.port)"
            let time = checkout.time
            try await checkout.run { client, control in
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
                #expect(await control.sendPendingMail() == 0)
                time.advance(3_600)
                #expect(await control.sendPendingMail() == 0)
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                let failures = metrics.split(separator: "\n").first { $0.hasPrefix("checkout_email_failures_total ") }
                #expect(failures?.split(separator: " ").last.flatMap { Int($0) } == attemptsAfterAnHour, "\(code)")
                #expect(await server.sessions(atLeast: attemptsAfterAnHour).count == attemptsAfterAnHour)
            }
        }
    }
}
