import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail through one SMTP relay, opening a connection per message and always closing it.
public struct SMTPClient: Sendable {
    /// The relay and how to reach it.
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let tlsConfiguration: TLSConfiguration

    /// TLS, when the configuration asks for it, trusts the system's root certificates and checks
    /// the relay's certificate against `configuration.host`.
    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "CheckoutKit.SMTPClient")
    ) {
        self.init(
            configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger,
            tlsConfiguration: .makeClientConfiguration())
    }

    /// Tests use this to trust a test certificate.
    init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger,
        tlsConfiguration: TLSConfiguration
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.tlsConfiguration = tlsConfiguration
        var logger = logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
    }

    /// Hands one message to the relay.
    ///
    /// - Parameters:
    ///   - sender: The envelope sender (`MAIL FROM`); empty for the null sender of bounces.
    ///   - recipients: The envelope recipients (`RCPT TO`), at least one. Every one must be accepted.
    ///   - message: A complete RFC 5322 message, headers and body, with CRLF line endings. It is
    ///     sent byte for byte apart from dot-stuffing, plus a final CRLF if it lacks one.
    /// - Throws: `SMTPError`, or `CancellationError` when the task is cancelled. Arguments are
    ///   checked before connecting. Once the relay has accepted the message nothing more is thrown,
    ///   so a caller that retries on error never sends twice.
    public func send(from sender: String, to recipients: [String], message: [UInt8]) async throws {
        try validate(sender: sender, recipients: recipients)
        let data = try Self.dataSection(of: message)
        let tls = try makeTLSUpgrade()
        let channel = try await connect(implicitTLS: configuration.security == .implicitTLS ? tls : nil)
        let startTLS = configuration.security == .startTLS ? tls : nil

        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                replies: inbound.makeAsyncIterator(), outbound: outbound, configuration: configuration, logger: logger)
            do {
                try await session.deliver(startTLS: startTLS, sender: sender, recipients: recipients, data: data)
            } catch let error as SMTPError {
                // After a refusal the relay is still listening; a QUIT lets it end the session cleanly.
                if case .rejected = error { await session.quit() }
                throw error
            }
            await session.quit()
        }
    }

    private func validate(sender: String, recipients: [String]) throws(SMTPError) {
        guard !configuration.host.isEmpty else {
            throw .invalidRequest(reason: "the configuration has no host")
        }
        guard !configuration.heloName.isEmpty, !configuration.heloName.unicodeScalars.contains(where: Self.isUnsafe)
        else {
            throw .invalidRequest(
                reason: "the HELO name \(String(reflecting: configuration.heloName)) is empty or contains "
                    + "a space or control character")
        }
        if let credentials = configuration.credentials {
            guard !credentials.username.isEmpty, !credentials.username.contains("\0") else {
                throw .invalidRequest(reason: "the username is empty or contains a NUL character")
            }
            guard !credentials.password.contains("\0") else {
                throw .invalidRequest(reason: "the password contains a NUL character")
            }
        }
        // An address with CR, LF or `>` could smuggle a second command into the envelope.
        guard !sender.unicodeScalars.contains(where: Self.isUnsafeInAddress) else {
            throw .invalidRequest(
                reason: "the sender \(String(reflecting: sender)) contains a space, control character or angle bracket")
        }
        guard !recipients.isEmpty else {
            throw .invalidRequest(reason: "there are no recipients")
        }
        for recipient in recipients
        where recipient.isEmpty || recipient.unicodeScalars.contains(where: Self.isUnsafeInAddress) {
            throw .invalidRequest(
                reason: "the recipient \(String(reflecting: recipient)) is empty or contains a space, "
                    + "control character or angle bracket")
        }
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar.value == 0x7F
    }

    private static func isUnsafeInAddress(_ scalar: Unicode.Scalar) -> Bool {
        isUnsafe(scalar) || scalar == "<" || scalar == ">"
    }

    /// The message as sent after `DATA`: dot-stuffed, ending in CRLF, then the lone `.` line.
    ///
    /// A bare CR or LF is refused rather than passed on: relays disagree on where such a line ends,
    /// which is how a message smuggles a second one past the relay (SMTP smuggling).
    static func dataSection(of message: [UInt8]) throws(SMTPError) -> ByteBuffer {
        let cr: UInt8 = 13
        let lf: UInt8 = 10
        let dot: UInt8 = 46
        guard !message.isEmpty else {
            throw .invalidRequest(reason: "the message is empty")
        }
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for (offset, byte) in message.enumerated() {
            if byte == lf && previous != cr {
                throw .invalidRequest(reason: "the message has a bare LF at byte \(offset); lines must end in CRLF")
            }
            if previous == cr && byte != lf {
                throw .invalidRequest(reason: "the message has a bare CR at byte \(offset - 1); lines must end in CRLF")
            }
            if atLineStart && byte == dot {
                out.append(dot)
            }
            out.append(byte)
            atLineStart = byte == lf
            previous = byte
        }
        if previous == cr {
            throw .invalidRequest(reason: "the message ends in a bare CR")
        }
        if !atLineStart {
            out.append(contentsOf: [cr, lf])
        }
        out.append(contentsOf: [dot, cr, lf])
        return ByteBuffer(bytes: out)
    }

    private func makeTLSUpgrade() throws(SMTPError) -> TLSUpgrade? {
        guard configuration.security != .plain else { return nil }
        do {
            let context = try NIOSSLContext(configuration: tlsConfiguration)
            // SNI carries host names only; for an IP address the certificate is checked against the address.
            let isIPAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
            return TLSUpgrade(context: context, serverHostname: isIPAddress ? nil : configuration.host)
        } catch {
            throw .tlsFailed(command: "connect", reason: String(describing: error))
        }
    }

    private func connect(implicitTLS: TLSUpgrade?) async throws(SMTPError) -> NIOAsyncChannel<SMTPReply, SMTPRequest> {
        let idleTimeout = TimeAmount(configuration.timeout)
        let bootstrap = ClientBootstrap(group: eventLoopGroup).connectTimeout(idleTimeout)
        do {
            return try await bootstrap.connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    // Idle detection sits next to the socket, ahead of TLS, which holds back read
                    // events while it handshakes and would leave the timer thinking a read is under way.
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    if let implicitTLS {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(context: implicitTLS.context, serverHostname: implicitTLS.serverHostname))
                    }
                    try pipeline.addHandler(SMTPClientCodec())
                    return try NIOAsyncChannel<SMTPReply, SMTPRequest>(wrappingChannelSynchronously: channel)
                }
            }
        } catch ChannelError.connectTimeout {
            throw .timedOut(command: "connect", after: configuration.timeout)
        } catch {
            if let tlsError = SMTPError.tls(error, command: "connect") { throw tlsError }
            throw .connectionFailed(
                host: configuration.host, port: configuration.port, reason: String(describing: error))
        }
    }
}

/// What went wrong sending mail, with what an operator needs to act on it. Never holds the password.
public enum SMTPError: Error, Sendable, Equatable {
    /// The envelope, message or configuration was refused before connecting; `reason` says which.
    case invalidRequest(reason: String)
    /// No TCP connection to `host:port` could be made (name lookup, refused, unreachable).
    case connectionFailed(host: String, port: Int, reason: String)
    /// The relay answered `command` with `code` and `text` where the client needed something else.
    ///
    /// `command` is the line sent (`RCPT TO:<…>`), except `AUTH PLAIN` (credentials left out),
    /// `greeting` for the relay's welcome and `end of message` for its verdict on the message.
    /// `text` is the relay's explanation, one line per reply line.
    case rejected(command: String, code: Int, text: String)
    /// The relay sent and received nothing for `after` while the client waited on `command`
    /// (`connect` while connecting).
    case timedOut(command: String, after: Duration)
    /// The connection ended while the client waited on `command`.
    case connectionLost(command: String, reason: String)
    /// The relay broke the protocol answering `command`: an unreadable reply, or data sent right
    /// after agreeing to STARTTLS (an attempt to inject replies into the encrypted session).
    case protocolViolation(command: String, reason: String)
    /// TLS could not be set up, or failed, around `command`: handshake, certificate, or TLS records.
    case tlsFailed(command: String, reason: String)

    /// Whether trying again later may succeed: 4xx replies, network trouble and timeouts.
    public var isTransient: Bool {
        switch self {
        case .rejected(_, let code, _): (400..<500).contains(code)
        case .connectionFailed, .timedOut, .connectionLost: true
        case .invalidRequest, .protocolViolation, .tlsFailed: false
        }
    }

    /// The error for a failure of the channel while the client waited on `command`.
    static func channel(_ error: any Error, command: String, timeout: Duration) -> SMTPError {
        if let smtpError = error as? SMTPError { return smtpError }
        if let tlsError = tls(error, command: command) { return tlsError }
        switch error {
        case let codecError as SMTPCodecError:
            switch codecError {
            case .idle: return .timedOut(command: command, after: timeout)
            case .unreadableReply(let reason): return .protocolViolation(command: command, reason: reason)
            case .dataAfterStartTLSReply:
                return .protocolViolation(
                    command: command, reason: "the server sent more data right after agreeing to STARTTLS")
            }
        case ChannelError.ioOnClosedChannel, ChannelError.eof, ChannelError.alreadyClosed:
            return .connectionLost(command: command, reason: "the connection was closed")
        default:
            return .connectionLost(command: command, reason: String(describing: error))
        }
    }

    static func tls(_ error: any Error, command: String) -> SMTPError? {
        switch error {
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            .tlsFailed(command: command, reason: String(describing: error))
        default: nil
        }
    }
}

extension SMTPError: CustomStringConvertible {
    /// One line for logs and operators: what was asked, and what came back or broke.
    public var description: String {
        switch self {
        case .invalidRequest(let reason):
            "SMTP request refused before sending: \(reason)"
        case .connectionFailed(let host, let port, let reason):
            "could not connect to SMTP server \(host):\(port): \(reason)"
        case .rejected(let command, let code, let text):
            "SMTP server answered \(command) with \(code) \(text)"
        case .timedOut(let command, let after):
            "SMTP server did not respond within \(after) to \(command)"
        case .connectionLost(let command, let reason):
            "SMTP connection lost during \(command): \(reason)"
        case .protocolViolation(let command, let reason):
            "SMTP server broke the protocol during \(command): \(reason)"
        case .tlsFailed(let command, let reason):
            "TLS with SMTP server failed during \(command): \(reason)"
        }
    }
}

/// One conversation with the relay, from greeting to QUIT.
private struct SMTPSession {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<SMTPRequest>
    let configuration: SMTPConfiguration
    let logger: Logger

    mutating func deliver(startTLS: TLSUpgrade?, sender: String, recipients: [String], data: ByteBuffer) async throws {
        let greeting = try await reply(to: "greeting")
        guard greeting.code == 220 else {
            throw SMTPError.rejected(command: "greeting", code: greeting.code, text: greeting.text)
        }
        try await hello()
        if let startTLS {
            try await exchange(.startTLS(startTLS), as: "STARTTLS", expecting: [220])
            // The extensions offered in the clear are void once encrypted (RFC 3207 §4.2).
            try await hello()
        }
        if let credentials = configuration.credentials {
            let token = Data("\0\(credentials.username)\0\(credentials.password)".utf8).base64EncodedString()
            try await exchange(.command("AUTH PLAIN \(token)"), as: "AUTH PLAIN", expecting: [235])
        }
        let mail = "MAIL FROM:<\(sender)>"
        try await exchange(.command(mail), as: mail, expecting: [250])
        for recipient in recipients {
            let rcpt = "RCPT TO:<\(recipient)>"
            try await exchange(.command(rcpt), as: rcpt, expecting: [250, 251])
        }
        try await exchange(.command("DATA"), as: "DATA", expecting: [354])

        // Chunks keep writes completing while a large message goes out, so the idle timeout
        // measures the relay's silence rather than the size of the message.
        var remaining = data
        while remaining.readableBytes > 0, let chunk = remaining.readSlice(length: min(remaining.readableBytes, 65_536)) {
            try await write(.messageData(chunk), as: "end of message")
        }
        let verdict = try await reply(to: "end of message")
        guard verdict.code == 250 else {
            throw SMTPError.rejected(command: "end of message", code: verdict.code, text: verdict.text)
        }
        logger.debug("SMTP message accepted", metadata: ["smtp.reply": "\(verdict.code) \(verdict.text)"])
    }

    /// `EHLO`, or `HELO` for a relay that does not know `EHLO`.
    private mutating func hello() async throws {
        let ehlo = "EHLO \(configuration.heloName)"
        let reply = try await exchange(.command(ehlo), as: ehlo)
        if reply.code == 250 { return }
        guard (500..<600).contains(reply.code) else {
            throw SMTPError.rejected(command: ehlo, code: reply.code, text: reply.text)
        }
        let helo = "HELO \(configuration.heloName)"
        try await exchange(.command(helo), as: helo, expecting: [250])
    }

    /// Ends the session politely. The outcome is already decided, so a failure here is only logged.
    mutating func quit() async {
        do {
            try await exchange(.command("QUIT"), as: "QUIT", expecting: [221])
        } catch {
            logger.debug("SMTP QUIT failed", metadata: ["smtp.error": "\(error)"])
        }
    }

    @discardableResult
    private mutating func exchange(_ request: SMTPRequest, as command: String, expecting codes: Set<Int>) async throws
        -> SMTPReply
    {
        let reply = try await exchange(request, as: command)
        guard codes.contains(reply.code) else {
            throw SMTPError.rejected(command: command, code: reply.code, text: reply.text)
        }
        return reply
    }

    private mutating func exchange(_ request: SMTPRequest, as command: String) async throws -> SMTPReply {
        logger.trace("SMTP command", metadata: ["smtp.command": "\(command)"])
        try await write(request, as: command)
        return try await reply(to: command)
    }

    private mutating func write(_ request: SMTPRequest, as command: String) async throws {
        do {
            try await outbound.write(request)
        } catch {
            // A write fails only once the connection is gone. Why it went (a failed TLS handshake,
            // the relay's last words) waits on the inbound side and says more than "closed".
            let last = try await reply(to: command)
            throw SMTPError.rejected(command: command, code: last.code, text: last.text)
        }
    }

    private mutating func reply(to command: String) async throws -> SMTPReply {
        let reply: SMTPReply?
        do {
            reply = try await replies.next()
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            throw SMTPError.channel(error, command: command, timeout: configuration.timeout)
        }
        guard let reply else {
            try Task.checkCancellation()
            throw SMTPError.connectionLost(command: command, reason: "the server closed the connection")
        }
        logger.trace("SMTP reply", metadata: ["smtp.reply": "\(reply.code) \(reply.text)"])
        return reply
    }
}

/// What TLS needs to wrap the connection: the context and the name the certificate must carry.
struct TLSUpgrade: Sendable {
    let context: NIOSSLContext
    let serverHostname: String?
}

/// What the session asks the codec to send.
enum SMTPRequest: Sendable {
    /// One command line, without its CRLF.
    case command(String)
    /// `STARTTLS`; on a 220 reply the codec puts TLS in front of itself before reading another byte.
    case startTLS(TLSUpgrade)
    /// Part of the dot-stuffed message after `DATA`, sent as is.
    case messageData(ByteBuffer)
}

/// One reply, possibly of several lines (`250-…` continued, `250 …` last).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The text after the codes, one line per reply line.
    var text: String { lines.joined(separator: "\n") }
}

/// Failures the codec raises in the pipeline; the session adds the command they interrupted.
enum SMTPCodecError: Error {
    case unreadableReply(String)
    case dataAfterStartTLSReply
    case idle
}

/// Turns bytes from the relay into replies and requests into bytes, and starts TLS after STARTTLS.
///
/// The TLS upgrade happens here, on the event loop, in the same read as the 220: anything the
/// relay sent in the clear after its reply would otherwise be read as if it came over TLS.
final class SMTPClientCodec: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    /// RFC 5321 allows 512 bytes a reply line; the slack is for relays that ignore it.
    static let maxLineLength = 8_192
    static let maxReplyLines = 512

    private var received = ByteBuffer()
    private var lines: [String] = []
    private var code: Int?
    private var pendingUpgrade: TLSUpgrade?
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var bytes = Self.unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        do {
            while let line = try nextLine() {
                guard let reply = try accept(line) else { continue }
                let startedTLS = try startTLSIfAgreed(reply, context: context)
                context.fireChannelRead(Self.wrapInboundOut(reply))
                if startedTLS {
                    // TLS, now in front, swallows this read's completion while it handshakes, and
                    // the reply would wait for it.
                    context.fireChannelReadComplete()
                }
            }
        } catch {
            fail(error, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            fail(SMTPCodecError.idle, context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .command(let line):
            context.write(Self.wrapOutboundOut(commandLine(line, context: context)), promise: promise)
        case .startTLS(let upgrade):
            pendingUpgrade = upgrade
            context.write(Self.wrapOutboundOut(commandLine("STARTTLS", context: context)), promise: promise)
        case .messageData(let bytes):
            context.write(Self.wrapOutboundOut(bytes), promise: promise)
        }
    }

    private func commandLine(_ line: String, context: ChannelHandlerContext) -> ByteBuffer {
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        failed = true
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func nextLine() throws -> String? {
        guard let newline = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if received.readableBytes > Self.maxLineLength {
                throw SMTPCodecError.unreadableReply("a reply line longer than \(Self.maxLineLength) bytes")
            }
            return nil
        }
        let length = newline - received.readerIndex
        guard length <= Self.maxLineLength,
            var line = received.readSlice(length: length)
        else {
            throw SMTPCodecError.unreadableReply("a reply line longer than \(Self.maxLineLength) bytes")
        }
        received.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return String(buffer: line)
    }

    /// Adds a line to the reply being read; returns the reply once its last line is in.
    private func accept(_ line: String) throws -> SMTPReply? {
        let scalars = Array(line.unicodeScalars)
        let digits = scalars.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ ("0"..."9").contains($0) }),
            let lineCode = Int(String(String.UnicodeScalarView(digits))), (100..<600).contains(lineCode),
            scalars.count == 3 || scalars[3] == " " || scalars[3] == "-"
        else {
            throw SMTPCodecError.unreadableReply("unreadable reply line \(String(reflecting: String(line.prefix(200))))")
        }
        if let code, code != lineCode {
            throw SMTPCodecError.unreadableReply("a reply line with code \(lineCode) continues a reply with code \(code)")
        }
        guard lines.count < Self.maxReplyLines else {
            throw SMTPCodecError.unreadableReply("a reply longer than \(Self.maxReplyLines) lines")
        }
        code = lineCode
        lines.append(scalars.count > 4 ? String(String.UnicodeScalarView(scalars[4...])) : "")
        guard scalars.count == 3 || scalars[3] == " " else { return nil }

        let reply = SMTPReply(code: lineCode, lines: lines)
        lines = []
        code = nil
        return reply
    }

    /// Puts TLS in front of this codec if `reply` agrees to a STARTTLS; returns whether it did.
    private func startTLSIfAgreed(_ reply: SMTPReply, context: ChannelHandlerContext) throws -> Bool {
        guard let upgrade = pendingUpgrade else { return false }
        pendingUpgrade = nil
        guard reply.code == 220 else { return false }
        guard received.readableBytes == 0 else {
            throw SMTPCodecError.dataAfterStartTLSReply
        }
        let tls = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverHostname)
        // Right before this codec, so the idle timer in front keeps seeing the raw socket.
        try context.pipeline.syncOperations.addHandler(tls, position: .before(self))
        return true
    }
}
