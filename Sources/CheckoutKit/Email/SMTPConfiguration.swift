import Foundation

/// Where and how `SMTPClient` delivers mail: one relay, reached over plain TCP, STARTTLS or TLS.
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection to the relay is protected.
    public enum Security: String, Sendable, Equatable, CaseIterable {
        /// No TLS at all; credentials and mail cross the network in the clear.
        case plain
        /// Connect in the clear, then upgrade with `STARTTLS` before anything else is sent.
        case startTLS
        /// TLS from the first byte (often called SMTPS).
        case implicitTLS

        /// The port relays conventionally listen on for this kind of connection.
        public var defaultPort: Int {
            switch self {
            case .plain: 25
            case .startTLS: 587
            case .implicitTLS: 465
            }
        }
    }

    /// The relay's host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// Plain, STARTTLS or implicit TLS; with TLS the certificate must be valid for `host`.
    public var security: Security
    /// Sent with `AUTH PLAIN` when present; without them the client does not authenticate.
    public var credentials: SMTPCredentials?
    /// The name this client introduces itself with in `EHLO`/`HELO`.
    public var heloName: String
    /// The longest the relay may stay silent, and the longest connecting may take, before the
    /// attempt is abandoned.
    public var timeout: Duration

    /// - Parameter port: `nil` picks the conventional port for `security`.
    public init(
        host: String,
        port: Int? = nil,
        security: Security,
        credentials: SMTPCredentials? = nil,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.credentials = credentials
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// A username and password for `AUTH PLAIN`. Printing or dumping it never shows the password.
public struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var username: String
    /// Kept out of descriptions, mirrors and errors.
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The username only.
    public var description: String { "\(username) (password redacted)" }
    /// The username only.
    public var debugDescription: String { description }
    /// The username and a placeholder, so `dump` does not show the password.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "password": "<redacted>"])
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// The configuration as a URL without the password, safe for logs.
    public var description: String {
        let user = credentials.map { "\($0.username)@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(security.urlScheme)://\(user)\(host):\(port)"
    }
}

extension SMTPConfiguration.Security {
    var urlScheme: String {
        switch self {
        case .plain: "smtp"
        case .startTLS: "smtp+starttls"
        case .implicitTLS: "smtps"
        }
    }
}

/// Why an SMTP URL was refused, naming the part at fault. The password is never repeated.
public struct SMTPURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A part of `scheme://username:password@host:port`.
    public enum Part: String, Sendable, Equatable {
        case scheme, username, password, host, port
        /// Anything after `host:port`, which an SMTP URL does not have.
        case path
    }

    public let part: Part
    /// What is wrong with that part, quoting it unless it is the password.
    public let reason: String

    public init(part: Part, reason: String) {
        self.part = part
        self.reason = reason
    }

    /// One line naming the part and the reason, for start-up errors.
    public var description: String { "invalid SMTP URL, \(part.rawValue): \(reason)" }
}

extension SMTPConfiguration {
    /// Reads `smtp://user:password@host:port` (plain, port 25 by default),
    /// `smtp+starttls://…` (port 587) or `smtps://…` (implicit TLS, port 465).
    ///
    /// User and password are percent-decoded, so a password with `@`, `:` or `/` should be written
    /// `%40`, `%3A`, `%2F`; an unencoded `@` in the password is tolerated because the host is
    /// taken from after the last `@`. Everything but the address and credentials keeps its default.
    public static func parse(_ url: String) throws(SMTPURLError) -> SMTPConfiguration {
        let text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = text.range(of: "://") else {
            throw SMTPURLError(part: .scheme, reason: "missing; expected smtp://, smtp+starttls:// or smtps://")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard let security = Security.allCases.first(where: { $0.urlScheme == scheme }) else {
            // Quoted only if it looks like a scheme: a mangled URL may have credentials in front.
            let schemeCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "+-."))
            let isSchemeLike = scheme.first?.isLetter == true
                && scheme.unicodeScalars.allSatisfy { $0.isASCII && schemeCharacters.contains($0) }
            let quoted = isSchemeLike ? "\"\(scheme)\" " : ""
            throw SMTPURLError(
                part: .scheme, reason: "\(quoted)is not supported; expected smtp, smtp+starttls or smtps")
        }
        var rest = text[schemeEnd.upperBound...]

        var credentials: SMTPCredentials?
        // The last `@` ends the credentials: the host cannot contain one, a careless password can.
        if let at = rest.lastIndex(of: "@") {
            credentials = try parseCredentials(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }

        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let trailer = rest[authorityEnd...]
        guard trailer.isEmpty || trailer == "/" else {
            throw SMTPURLError(part: .path, reason: "an SMTP URL ends after host:port")
        }
        let (host, port) = try parseHostAndPort(rest[..<authorityEnd])
        return SMTPConfiguration(host: host, port: port, security: security, credentials: credentials)
    }

    private static func parseCredentials(_ userInfo: Substring) throws(SMTPURLError) -> SMTPCredentials {
        guard let colon = userInfo.firstIndex(of: ":") else {
            throw SMTPURLError(part: .password, reason: "missing; write user:password@host")
        }
        guard let username = String(userInfo[..<colon]).removingPercentEncoding else {
            throw SMTPURLError(part: .username, reason: "is not valid percent-encoding")
        }
        guard !username.isEmpty else {
            throw SMTPURLError(part: .username, reason: "is empty")
        }
        guard let password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding else {
            throw SMTPURLError(part: .password, reason: "is not valid percent-encoding")
        }
        return SMTPCredentials(username: username, password: password)
    }

    private static func parseHostAndPort(_ authority: Substring) throws(SMTPURLError) -> (String, Int?) {
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw SMTPURLError(part: .host, reason: "\"\(authority)\" has no closing ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw SMTPURLError(part: .host, reason: "unexpected \"\(after)\" after ]")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }

        guard !host.isEmpty else {
            throw SMTPURLError(part: .host, reason: "is missing")
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._:"))
        guard host.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            throw SMTPURLError(part: .host, reason: "\"\(host)\" is not a host name or IP address")
        }

        guard let portText else { return (String(host), nil) }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65_535).contains(port)
        else {
            // Not quoted: in `smtp://user:password` with the host forgotten, this is the password.
            throw SMTPURLError(part: .port, reason: "is not a port number (1-65535)")
        }
        return (String(host), port)
    }
}
