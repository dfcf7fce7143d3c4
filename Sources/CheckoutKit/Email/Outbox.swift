import Foundation
import ShopCore

/// An email ready to hand to a sender.
struct OutgoingMail: Sendable, Equatable {
    let id: String
    let from: String
    let to: String
    let subject: String
    let body: String
    let created: Int

    /// The message in RFC 5322 form: headers, a blank line, the body, CRLF line endings.
    var message: [UInt8] {
        let date = Date(timeIntervalSince1970: TimeInterval(created))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let headers = [
            "Message-ID: <\(id)@checkout>", "Date: \(formatter.string(from: date))", "From: \(Self.encodeHeader(from))",
            "To: \(to)", "Subject: \(Self.encodeHeader(subject))", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + lines.joined(separator: "\r\n")).utf8)
    }

    /// RFC 2047 encoded-word for headers with non-ASCII text.
    static func encodeHeader(_ text: String) -> String {
        guard !text.allSatisfy(\.isASCII) else { return text }
        return "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}

/// Delivers an email.
protocol MailSender: Sendable {
    func send(_ mail: OutgoingMail) async throws
}

/// Writes each email as `<id>.eml` into a folder (the local default). Writing the same email again
/// replaces the same file, so a retry after a crash never makes a second copy.
struct FolderMailSender: MailSender {
    let folder: String

    func send(_ mail: OutgoingMail) async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(mail.message).write(to: URL(fileURLWithPath: folder + "/\(mail.id).eml"), options: .atomic)
    }
}

/// Sends through an SMTP server.
struct SMTPMailSender: MailSender {
    let configuration: SMTPConfiguration

    func send(_ mail: OutgoingMail) async throws {
        let from = mail.from.split(separator: "<").last.map { String($0.dropLast($0.hasSuffix(">") ? 1 : 0)) } ?? mail.from
        try await SMTPClient(configuration: configuration).send(from: from, to: [mail.to], message: mail.message)
    }
}
