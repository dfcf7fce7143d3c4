import Foundation
import Logging
import NIOPosix
import NIOSSL
import Testing

@testable import CheckoutKit

@Suite(.timeLimit(.minutes(1))) struct SMTPClientTests {
    /// Lines starting with `.` (one of them a lone `.`) would end or corrupt DATA without dot-stuffing.
    static let message = Array(
        """
        From: Shop <shop@example.com>\r
        To: Ann <ann@example.com>\r
        Subject: Your order KB-1042\r
        \r
        Thank you for your order.\r
        .hidden files start with a dot\r
        ..two dots\r
        .\r
        Last line.\r

        """.utf8)

    /// How a TLS ClientHello starts: a handshake record (0x16), TLS major version 3.
    static let tlsHandshakeRecord = "\u{16}\u{03}"

    /// - Parameter tls: TLS settings; nil trusts the system's roots, as in production.
    func client(
        port: Int, security: SMTPConfiguration.Security = .plain, credentials: SMTPCredentials? = nil,
        // Generous: under the whole suite's load on 2 cores a fake server's greeting once took over 10 s.
        // The tests about timeouts pass their own.
        timeout: Duration = .seconds(30), tls: TLSConfiguration? = nil
    ) -> SMTPClient {
        let configuration = SMTPConfiguration(
            host: "127.0.0.1", port: port, security: security, credentials: credentials, timeout: timeout)
        guard let tls else { return SMTPClient(configuration: configuration) }
        return SMTPClient(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "SMTPClientTests"), tlsConfiguration: tls)
    }

    func send(_ client: SMTPClient, to recipients: [String] = ["ann@example.com"]) async throws {
        try await client.send(from: "shop@example.com", to: recipients, message: Self.message)
    }

    /// A port nothing listens on: the fake server's, once it has shut down.
    func closedPort() async throws -> Int {
        try await FakeSMTPServer.withServer { $0.port }
    }

    // MARK: Delivery

    @Test func deliversTheEnvelopeAndTheExactBytes() async throws {
        try await FakeSMTPServer.withServer { server in
            try await send(client(port: server.port), to: ["ann@example.com", "bob@example.org"])

            let sessions = await server.sessions(atLeast: 1)
            #expect(sessions.count == 1)
            let session = try #require(sessions.first)
            #expect(
                session.commands == [
                    "EHLO localhost", "MAIL FROM:<shop@example.com>", "RCPT TO:<ann@example.com>",
                    "RCPT TO:<bob@example.org>", "DATA", "QUIT",
                ])
            let message = try #require(session.messages.first)
            #expect(session.messages.count == 1)
            #expect(message.sender == "shop@example.com")
            #expect(message.recipients == ["ann@example.com", "bob@example.org"])
            #expect(message.data == Self.message)
            let wire = String(decoding: message.wireData, as: UTF8.self)
            #expect(wire.contains("\r\n..hidden files start with a dot\r\n...two dots\r\n..\r\nLast line.\r\n"))
            #expect(session.error == nil)
        }
    }

    @Test func aRelayWithoutEHLOIsGreetedWithHELO() async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.ehlo] = .init(502, "5.5.2 Command not recognized")
        try await FakeSMTPServer.withServer(options) { server in
            try await send(client(port: server.port))

            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands.prefix(3) == ["EHLO localhost", "HELO localhost", "MAIL FROM:<shop@example.com>"])
            #expect(session.messages.map(\.data) == [Self.message])
        }
    }

    // MARK: AUTH PLAIN

    @Test func authPlainSendsTheCredentialsAndIsAccepted() async throws {
        var options = FakeSMTPServer.Options()
        options.credentials = ("shop@example.com", "p@ss:w0rd/é")
        try await FakeSMTPServer.withServer(options) { server in
            let credentials = SMTPCredentials(username: "shop@example.com", password: "p@ss:w0rd/é")
            try await send(client(port: server.port, credentials: credentials))

            let session = try #require(await server.sessions(atLeast: 1).first)
            let token = Data("\0shop@example.com\0p@ss:w0rd/é".utf8).base64EncodedString()
            #expect(session.commands.prefix(3) == ["EHLO localhost", "AUTH PLAIN \(token)", "MAIL FROM:<shop@example.com>"])
            #expect(session.messages.map(\.data) == [Self.message])
        }
    }

    @Test func aWrongPasswordFailsWith535AndIsNeverShown() async throws {
        var options = FakeSMTPServer.Options()
        options.credentials = ("shop@example.com", "right-password")
        try await FakeSMTPServer.withServer(options) { server in
            let credentials = SMTPCredentials(username: "shop@example.com", password: "wrong-password")
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, credentials: credentials))
            }

            #expect(error == .rejected(command: "AUTH PLAIN", code: 535, text: "5.7.8 Authentication credentials invalid"))
            #expect(error?.isTransient == false)
            #expect(error.map { "\($0)" }?.contains("wrong-password") == false)
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.messages.isEmpty)
            #expect(session.commands.count == 3)
            #expect(session.commands.last == "QUIT")
        }
    }

    // MARK: Refusals

    @Test func aRejectedRecipientCarries550AndTheServerText() async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.rcpt] = .init(550, "5.1.1 <nobody@example.com>: Recipient address rejected", "5.1.1 User unknown")
        try await FakeSMTPServer.withServer(options) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port), to: ["nobody@example.com"])
            }

            #expect(
                error
                    == .rejected(
                        command: "RCPT TO:<nobody@example.com>", code: 550,
                        text: "5.1.1 <nobody@example.com>: Recipient address rejected\n5.1.1 User unknown"))
            #expect(error?.isTransient == false)
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(!session.commands.contains("DATA"))
            #expect(session.commands.last == "QUIT")
            #expect(session.messages.isEmpty)
        }
    }

    @Test func aRefusedMessageNamesTheEndOfMessage() async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.endOfData] = .init(451, "4.7.1 Greylisted, try again later")
        try await FakeSMTPServer.withServer(options) { server in
            let error = await #expect(throws: SMTPError.self) { try await send(client(port: server.port)) }

            #expect(error == .rejected(command: "end of message", code: 451, text: "4.7.1 Greylisted, try again later"))
            #expect(error?.isTransient == true)
        }
    }

    // MARK: TLS

    @Test func startTLSRefusedStopsBeforeAnyCredentialIsSent() async throws {
        var options = FakeSMTPServer.Options()
        options.credentials = ("shop@example.com", "secret")
        try await FakeSMTPServer.withServer(options) { server in
            let credentials = SMTPCredentials(username: "shop@example.com", password: "secret")
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, security: .startTLS, credentials: credentials))
            }

            #expect(error == .rejected(command: "STARTTLS", code: 454, text: "4.7.0 TLS not available"))
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands == ["EHLO localhost", "STARTTLS", "QUIT"])
        }
    }

    @Test func repliesInjectedAfterSTARTTLSAreRefused() async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.startTLS] = .init(220, "2.0.0 Ready to start TLS", appended: "250 injected in the clear\r\n")
        try await FakeSMTPServer.withServer(options) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, security: .startTLS))
            }

            // The server sends reply and injection in one write, so they arrive in one read; were
            // they split, the injection would reach TLS instead and fail the handshake.
            switch error {
            case .protocolViolation(let command, _)?: #expect(command == "STARTTLS")
            case .tlsFailed?: break
            default: Issue.record("expected a protocol violation, got \(String(describing: error))")
            }
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands.filter { $0.hasPrefix("EHLO") } == ["EHLO localhost"])
            #expect(!session.commands.contains { $0.hasPrefix("MAIL") })
        }
    }

    @Test func implicitTLSSpeaksTLSFirst() async throws {
        try await FakeSMTPServer.withServer { server in
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, security: .implicitTLS))
            }

            // The plaintext greeting is not a TLS record, so the handshake fails.
            guard case .tlsFailed(let command, _)? = error else {
                Issue.record("expected tlsFailed, got \(String(describing: error))")
                return
            }
            #expect(command == "greeting")
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands.first?.hasPrefix(Self.tlsHandshakeRecord) == true)
        }
    }

    @Test func startTLSEncryptsBeforeTheSecondEHLOAndAUTH() async throws {
        var options = FakeSMTPServer.Options()
        options.tls = try FakeSMTPServer.testTLSContext()
        options.credentials = ("shop@example.com", "secret")
        try await FakeSMTPServer.withServer(options) { server in
            let credentials = SMTPCredentials(username: "shop@example.com", password: "secret")
            let tls = try FakeSMTPServer.clientTLSTrustingTestCertificate()
            try await send(client(port: server.port, security: .startTLS, credentials: credentials, tls: tls))

            let session = try #require(await server.sessions(atLeast: 1).first)
            let token = Data("\0shop@example.com\0secret".utf8).base64EncodedString()
            #expect(
                session.commands == [
                    "EHLO localhost", "STARTTLS", "EHLO localhost", "AUTH PLAIN \(token)",
                    "MAIL FROM:<shop@example.com>", "RCPT TO:<ann@example.com>", "DATA", "QUIT",
                ])
            #expect(session.messages.map(\.data) == [Self.message])
        }
    }

    @Test func implicitTLSDelivers() async throws {
        var options = FakeSMTPServer.Options()
        options.tls = try FakeSMTPServer.testTLSContext()
        options.implicitTLS = true
        try await FakeSMTPServer.withServer(options) { server in
            let tls = try FakeSMTPServer.clientTLSTrustingTestCertificate()
            try await send(client(port: server.port, security: .implicitTLS, tls: tls))

            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands.first == "EHLO localhost")
            #expect(session.messages.map(\.data) == [Self.message])
        }
    }

    @Test func aStalledTLSHandshakeTimesOut() async throws {
        var options = FakeSMTPServer.Options()
        options.replies[.startTLS] = .init(220, "2.0.0 Ready to start TLS")
        try await FakeSMTPServer.withServer(options) { server in
            // Each step has 8 s: under the whole suite's load the greeting alone once took over 3 s,
            // and the client then timed out there, before the handshake this test is about.
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, security: .startTLS, timeout: .seconds(8)))
            }

            // The server agreed but has no TLS, so it waits for a line that never comes; it would
            // answer 502, failing the handshake instead, were there a CRLF among the random bytes.
            switch error {
            case .timedOut(let command, _)?, .tlsFailed(let command, _)?: #expect(command == "EHLO localhost")
            default: Issue.record("expected a timeout, got \(String(describing: error))")
            }
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands.prefix(2) == ["EHLO localhost", "STARTTLS"])
            #expect(session.commands.dropFirst(2).first?.hasPrefix(Self.tlsHandshakeRecord) == true)
        }
    }

    @Test func anUntrustedCertificateStopsTheSessionBeforeCredentials() async throws {
        var options = FakeSMTPServer.Options()
        options.tls = try FakeSMTPServer.testTLSContext()
        options.credentials = ("shop@example.com", "secret")
        try await FakeSMTPServer.withServer(options) { server in
            let credentials = SMTPCredentials(username: "shop@example.com", password: "secret")
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, security: .startTLS, credentials: credentials))
            }

            guard case .tlsFailed(let command, let reason)? = error else {
                Issue.record("expected tlsFailed, got \(String(describing: error))")
                return
            }
            #expect(command == "EHLO localhost")
            #expect(reason.contains("CERTIFICATE_VERIFY_FAILED"))
            let session = try #require(await server.sessions(atLeast: 1).first)
            #expect(session.commands == ["EHLO localhost", "STARTTLS"])
        }
    }

    // MARK: Connection trouble

    @Test func aRefusedConnectionNamesTheAddress() async throws {
        let port = try await closedPort()
        let error = await #expect(throws: SMTPError.self) { try await send(client(port: port)) }

        guard case .connectionFailed(let host, let failedPort, let reason)? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(failedPort == port)
        #expect(reason.lowercased().contains("refused"))
        #expect(error?.isTransient == true)
    }

    @Test func aSilentServerTimesOutAndTheConnectionIsClosed() async throws {
        var options = FakeSMTPServer.Options()
        options.silentAt = .greeting
        try await FakeSMTPServer.withServer(options) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await send(client(port: server.port, timeout: .seconds(3)))
            }

            #expect(error == .timedOut(command: "greeting", after: .seconds(3)))
            // The session ends only when the client has closed its side.
            #expect(await server.sessions(atLeast: 1).count == 1)
        }
    }

    // MARK: Refused before connecting

    @Test func anAddressThatCouldInjectACommandIsRefused() async throws {
        let port = try await closedPort()
        let error = await #expect(throws: SMTPError.self) {
            try await send(client(port: port), to: ["ann@example.com>\r\nRCPT TO:<eve@example.com"])
        }

        guard case .invalidRequest(let reason)? = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("recipient"))
    }

    @Test func aMessageWithABareLineFeedIsRefused() async throws {
        let port = try await closedPort()
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: port).send(
                from: "shop@example.com", to: ["ann@example.com"], message: Array("Subject: x\r\n\r\na\n.\r\n".utf8))
        }

        #expect(error == .invalidRequest(reason: "the message has a bare LF at byte 15; lines must end in CRLF"))
    }

    // MARK: URLs

    @Test(arguments: [
        ("smtp://mail.example.com", SMTPConfiguration.Security.plain, 25),
        ("smtp+starttls://mail.example.com", .startTLS, 587),
        ("smtps://mail.example.com/", .implicitTLS, 465),
        ("SMTPS://mail.example.com:2465", .implicitTLS, 2465),
    ])
    func eachSchemeHasItsSecurityAndDefaultPort(url: String, security: SMTPConfiguration.Security, port: Int) throws {
        let configuration = try SMTPConfiguration.parse(url)

        #expect(configuration.host == "mail.example.com")
        #expect(configuration.security == security)
        #expect(configuration.port == port)
        #expect(configuration.credentials == nil)
        #expect(configuration.heloName == "localhost")
    }

    @Test func credentialsArePercentDecoded() throws {
        let configuration = try SMTPConfiguration.parse("smtp+starttls://shop%40example.com:p%40ss%3Aw%2Frd@[::1]:2525")

        #expect(configuration.credentials == SMTPCredentials(username: "shop@example.com", password: "p@ss:w/rd"))
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
        #expect(configuration.security == .startTLS)
    }

    @Test(arguments: [
        ("http://mail.example.com", SMTPURLError.Part.scheme, "\"http\""),
        ("mail.example.com:25", .scheme, "missing"),
        ("smtp://user:pw@", .host, "missing"),
        ("smtp://mail.example.com:99999", .port, "port number"),
        ("smtp://mail.example.com:25/inbox", .path, "host:port"),
        ("smtp://user@mail.example.com", .password, "missing"),
    ])
    func aBadURLNamesThePartAtFault(url: String, part: SMTPURLError.Part, mention: String) {
        let error = #expect(throws: SMTPURLError.self) { try SMTPConfiguration.parse(url) }

        #expect(error?.part == part)
        #expect(error?.description.contains(mention) == true)
    }

    @Test func thePasswordIsNeverEchoed() throws {
        let error = #expect(throws: SMTPURLError.self) {
            try SMTPConfiguration.parse("smtp://shop:bad%zzsecret@mail.example.com")
        }
        #expect(error?.part == .password)
        #expect(error?.description.contains("secret") == false)
        for url in ["smtp://shop:482913", "shop:secret@smtp://mail.example.com"] {
            let error = #expect(throws: SMTPURLError.self) { try SMTPConfiguration.parse(url) }
            #expect(error?.description.contains("482913") == false)
            #expect(error?.description.contains("secret") == false)
        }

        let configuration = try SMTPConfiguration.parse("smtps://shop:topsecret@mail.example.com")
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect("\(configuration)" == "smtps://shop@mail.example.com:465")
        #expect(!String(reflecting: configuration.credentials).contains("topsecret"))
        #expect(!dumped.contains("topsecret"))
    }
}
