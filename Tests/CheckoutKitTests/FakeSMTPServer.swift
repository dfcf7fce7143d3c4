import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A real SMTP server on 127.0.0.1 for tests: greeting, EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA
/// (dot-unstuffed) and QUIT, recording every session. With a TLS context it also speaks STARTTLS,
/// or TLS from the first byte; without one it answers STARTTLS with 454.
///
/// Use it through `withServer`, which shuts it down when the body returns or throws.
struct FakeSMTPServer: Sendable {
    /// A reply the server sends: one code, one or more lines of text.
    struct Reply: Sendable, Equatable {
        var code: Int
        var lines: [String]
        /// Raw bytes sent right after the reply, to play a server that breaks the protocol.
        var appended = ""

        init(_ code: Int, _ lines: String..., appended: String = "") {
            self.code = code
            self.lines = lines.isEmpty ? [""] : lines
            self.appended = appended
        }
    }

    /// The points in a session where a test can change the server's answer.
    enum Step: Hashable, Sendable {
        case greeting, ehlo, helo, startTLS, auth, mail, rcpt, data, quit
        /// The reply to the message itself, after the lone `.` line.
        case endOfData

        init?(verb: String) {
            switch verb.uppercased() {
            case "EHLO": self = .ehlo
            case "HELO": self = .helo
            case "STARTTLS": self = .startTLS
            case "AUTH": self = .auth
            case "MAIL": self = .mail
            case "RCPT": self = .rcpt
            case "DATA": self = .data
            case "QUIT": self = .quit
            default: return nil
            }
        }
    }

    struct Options: Sendable {
        /// The only credentials AUTH PLAIN accepts (535 otherwise). When set, EHLO offers
        /// AUTH PLAIN and MAIL requires it; when nil, AUTH is refused with 503.
        var credentials: (username: String, password: String)?
        /// Answers that replace the server's own at a step; the step then has no other effect.
        var replies: [Step: Reply] = [:]
        /// A step the server never answers, to make the client wait.
        var silentAt: Step?
        /// Enables STARTTLS (see `testTLSContext`).
        var tls: NIOSSLContext?
        /// With `tls`, TLS from the first byte instead of STARTTLS.
        var implicitTLS = false
    }

    struct Message: Sendable, Equatable {
        var sender: String
        var recipients: [String]
        /// The message as the client meant it: dot-unstuffed, without the final `.` line.
        var data: [UInt8]
        /// The bytes after DATA as they crossed the wire, dot-stuffed, without the final `.` line.
        var wireData: [UInt8]
    }

    /// One connection, recorded when it ends.
    struct Session: Sendable, Equatable {
        /// Every line the client sent outside DATA, in order (AUTH lines included: test credentials only),
        /// and last whatever it sent without a CRLF before hanging up.
        var commands: [String] = []
        var messages: [Message] = []
        /// Why the connection failed, if it did not end with QUIT or the client closing it.
        var error: String?
    }

    /// The port the server listens on.
    let port: Int
    private let log: SessionLog

    /// The sessions that have ended, once there are at least `count` of them.
    ///
    /// The client closes its connection before `send` returns, but the server may notice a moment
    /// later; waiting here instead of sleeping keeps the tests exact.
    func sessions(atLeast count: Int) async -> [Session] {
        await log.sessions(atLeast: count)
    }

    /// Starts a server, runs `body` with it, and shuts the server down however `body` ends.
    static func withServer<Result>(
        _ options: Options = Options(),
        _ body: (FakeSMTPServer) async throws -> Result
    ) async throws -> Result {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if options.implicitTLS, let tls = options.tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(CRLFLineDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = listener.channel.localAddress?.port else {
            try await listener.channel.close()
            throw FakeSMTPServerError.noLocalPort
        }
        let server = FakeSMTPServer(port: port, log: SessionLog())

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { sessions in
                        for try await connection in connections {
                            sessions.addTask { await server.serve(connection, options: options) }
                        }
                    }
                }
            }
            // Cancelling ends the accept loop and every open session, and closes the listener.
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, options: Options) async {
        var session = Session()
        do {
            try await connection.executeThenClose { inbound, outbound in
                var conversation = Conversation(
                    lines: inbound.makeAsyncIterator(), outbound: outbound, channel: connection.channel, options: options)
                try await conversation.run(recordingInto: &session)
            }
        } catch {
            session.error = String(describing: error)
        }
        await log.record(session)
    }
}

enum FakeSMTPServerError: Error {
    case noLocalPort
}

/// The server's side of one session.
private struct Conversation {
    typealias Reply = FakeSMTPServer.Reply

    var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    let options: FakeSMTPServer.Options
    var secured = false
    var authenticated = false
    var sender: String?
    var recipients: [String] = []

    mutating func run(recordingInto session: inout FakeSMTPServer.Session) async throws {
        if options.silentAt == .greeting {
            while try await lines.next() != nil {}
            return
        }
        try await send(options.replies[.greeting] ?? Reply(220, "fake.smtp.test ESMTP FakeSMTPServer ready"))

        while let buffer = try await lines.next() {
            let line = String(buffer: buffer)
            session.commands.append(line)
            let verb = String(line.prefix { $0 != " " })
            let argument = line.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
            guard let step = FakeSMTPServer.Step(verb: verb) else {
                try await send(Reply(502, "5.5.2 Command not recognized"))
                continue
            }
            if options.silentAt == step { continue }
            if let reply = options.replies[step] {
                try await send(reply)
                if step == .quit { return }
                continue
            }
            switch step {
            case .ehlo:
                var offered = ["fake.smtp.test greets \(argument)", "8BITMIME"]
                if options.tls != nil && !options.implicitTLS && !secured { offered.append("STARTTLS") }
                if options.credentials != nil { offered.append("AUTH PLAIN") }
                try await send(Reply(250, lines: offered))
            case .helo:
                try await send(Reply(250, "fake.smtp.test"))
            case .startTLS:
                guard let tls = options.tls, !options.implicitTLS, !secured else {
                    try await send(Reply(454, "4.7.0 TLS not available"))
                    continue
                }
                try await startTLS(tls)
            case .auth:
                try await authenticate(argument, session: &session)
            case .mail:
                if options.credentials != nil && !authenticated {
                    try await send(Reply(530, "5.7.0 Authentication required"))
                } else if let path = Self.path(in: argument, after: "FROM:") {
                    sender = path
                    recipients = []
                    try await send(Reply(250, "2.1.0 Sender OK"))
                } else {
                    try await send(Reply(501, "5.5.4 Syntax: MAIL FROM:<address>"))
                }
            case .rcpt:
                if sender == nil {
                    try await send(Reply(503, "5.5.1 MAIL first"))
                } else if let path = Self.path(in: argument, after: "TO:"), !path.isEmpty {
                    recipients.append(path)
                    try await send(Reply(250, "2.1.5 Recipient OK"))
                } else {
                    try await send(Reply(501, "5.5.4 Syntax: RCPT TO:<address>"))
                }
            case .data:
                guard let sender, !recipients.isEmpty else {
                    try await send(Reply(503, "5.5.1 RCPT first"))
                    continue
                }
                try await send(Reply(354, "End data with <CR><LF>.<CR><LF>"))
                guard let received = try await readData() else { return }
                if options.silentAt == .endOfData { continue }
                let reply = options.replies[.endOfData] ?? Reply(250, "2.0.0 OK queued")
                if reply.code == 250 {
                    session.messages.append(
                        FakeSMTPServer.Message(
                            sender: sender, recipients: recipients, data: received.data, wireData: received.wire))
                }
                self.sender = nil
                recipients = []
                try await send(reply)
            case .quit:
                try await send(Reply(221, "2.0.0 Bye"))
                return
            case .greeting, .endOfData:
                try await send(Reply(503, "5.5.1 Bad sequence of commands"))
            }
        }
    }

    /// Answers 220 in the clear and puts TLS in front in the same event-loop turn, so the client's
    /// handshake, which it starts only on reading the 220, cannot reach the line decoder.
    private mutating func startTLS(_ tls: NIOSSLContext) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            channel.writeAndFlush(ByteBuffer(string: "220 2.0.0 Ready to start TLS\r\n"), promise: nil)
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        }.get()
        // RFC 3207 §4.2: everything learnt before TLS is forgotten.
        secured = true
        authenticated = false
        sender = nil
        recipients = []
    }

    private mutating func authenticate(_ argument: String, session: inout FakeSMTPServer.Session) async throws {
        let parts = argument.split(separator: " ", omittingEmptySubsequences: true)
        guard let credentials = options.credentials else {
            try await send(Reply(503, "5.5.1 AUTH not available"))
            return
        }
        guard parts.first?.uppercased() == "PLAIN" else {
            try await send(Reply(504, "5.5.4 Unrecognized authentication type"))
            return
        }
        var token = parts.count > 1 ? String(parts[1]) : nil
        if token == nil {
            try await send(Reply(334, ""))
            guard let response = try await lines.next() else { return }
            token = String(buffer: response)
            session.commands.append(token ?? "")
        }
        let fields = token.flatMap { Data(base64Encoded: $0) }.map {
            $0.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        if let fields, fields.count == 3, fields[1] == credentials.username, fields[2] == credentials.password {
            authenticated = true
            try await send(Reply(235, "2.7.0 Authentication successful"))
        } else {
            try await send(Reply(535, "5.7.8 Authentication credentials invalid"))
        }
    }

    /// The message after DATA up to the lone `.`, or nil if the client hung up first.
    private mutating func readData() async throws -> (data: [UInt8], wire: [UInt8])? {
        var data: [UInt8] = []
        var wire: [UInt8] = []
        while let line = try await lines.next() {
            let bytes = Array(line.readableBytesView)
            if bytes == [UInt8(ascii: ".")] { return (data, wire) }
            wire += bytes + [13, 10]
            data += (bytes.first == UInt8(ascii: ".") ? Array(bytes.dropFirst()) : bytes) + [13, 10]
        }
        return nil
    }

    /// The address in `FROM:<address>` / `TO:<address>`.
    private static func path(in argument: String, after keyword: String) -> String? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count)
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }

    private func send(_ reply: Reply) async throws {
        var text = ""
        for (index, line) in reply.lines.enumerated() {
            text += "\(reply.code)\(index == reply.lines.count - 1 ? " " : "-")\(line)\r\n"
        }
        // One write, so appended bytes arrive with the reply as a misbehaving server would send them.
        try await outbound.write(ByteBuffer(string: text + reply.appended))
    }
}

extension FakeSMTPServer.Reply {
    init(_ code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }
}

/// Splits the client's bytes into lines at CRLF exactly, so a bare LF stays inside a line as sent.
private struct CRLFLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        var searchFrom = view.startIndex
        while let newline = view[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
            if newline > view.startIndex, view[newline - 1] == UInt8(ascii: "\r"),
                let line = buffer.readSlice(length: newline - 1 - view.startIndex)
            {
                buffer.moveReaderIndex(forwardBy: 2)
                context.fireChannelRead(Self.wrapInboundOut(line))
                return .continue
            }
            searchFrom = newline + 1
        }
        return .needMoreData
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // Bytes left without a CRLF when the client hangs up are passed on as a last line, so a test
        // can see what was sent that is not SMTP at all (a TLS handshake).
        if buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
            context.fireChannelRead(Self.wrapInboundOut(rest))
        }
        return .needMoreData
    }
}

/// Finished sessions, and tests waiting for them.
private actor SessionLog {
    private var finished: [FakeSMTPServer.Session] = []
    private var waiting: [(count: Int, continuation: CheckedContinuation<[FakeSMTPServer.Session], Never>)] = []

    func record(_ session: FakeSMTPServer.Session) {
        finished.append(session)
        let ready = waiting.filter { $0.count <= finished.count }
        waiting.removeAll { $0.count <= finished.count }
        for waiter in ready { waiter.continuation.resume(returning: finished) }
    }

    func sessions(atLeast count: Int) async -> [FakeSMTPServer.Session] {
        if finished.count >= count { return finished }
        return await withCheckedContinuation { waiting.append((count, $0)) }
    }
}

extension FakeSMTPServer {
    /// A self-signed certificate for `localhost` and 127.0.0.1, valid until 2126, with its key.
    /// Test use only: the key is public.
    static let testCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmjCCAUGgAwIBAgIUKQuO0ajJAFayJjFjJ5jA2sukSkQwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTIxMjE0OFoYDzIxMjYxMDI4
        MjEyMTQ4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAATC/FV/2yB5l4DkWB8LDOCKY7IL7lM3xNEyaikStXwsVNEtmDOz39JC
        gsTm3OJdSkZ5nXwuJ8npWyhIfEQRlOA7o28wbTAdBgNVHQ4EFgQUv5fqpcxdULPU
        EnXf1tABFx98sOQwHwYDVR0jBBgwFoAUv5fqpcxdULPUEnXf1tABFx98sOQwDwYD
        VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
        zj0EAwIDRwAwRAIgS5RUAYKKj2e39Y4OK/BNHTp353QuE1LZFoJjsnXFxhICIA5X
        N/muzz2u2cNmqh27x7YbYPQGVHPsmkxzR6C0iVbb
        -----END CERTIFICATE-----
        """
    static let testKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKqAB43RH0rDv6iHc
        Rt5w8byHGitWfR0m6zrkjpjs1HOhRANCAATC/FV/2yB5l4DkWB8LDOCKY7IL7lM3
        xNEyaikStXwsVNEtmDOz39JCgsTm3OJdSkZ5nXwuJ8npWyhIfEQRlOA7
        -----END PRIVATE KEY-----
        """

    /// The server side of TLS with the test certificate.
    static func testTLSContext() throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(bytes: Array(testCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(testKeyPEM.utf8), format: .pem)
        return try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
    }

    /// A client configuration that trusts only the test certificate, verifying it fully.
    static func clientTLSTrustingTestCertificate() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(testCertificatePEM.utf8), format: .pem)])
        return configuration
    }
}
