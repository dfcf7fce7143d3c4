import Foundation
import ShopCore
import SiteCore

/// The email templates: built in, each replaceable by `templates/emails/<name>.mustache` in the site.
/// A template's first line is `Subject: …`, then a blank line, then the plain-text body.
struct EmailTemplates: Sendable {
    enum Name: String, CaseIterable, Sendable {
        case receipt, leadConfirmation = "lead-confirmation", magicLink = "magic-link", paymentFailed = "payment-failed"
    }

    let library: TemplateLibrary

    /// The built-in templates, compiled once a process: every shop of a multi-shop deployment that
    /// does not replace one shares it.
    private static let builtIn: [Name: CompiledTemplate] = {
        let sources: [Name: [UInt8]] = [
            .receipt: PackageResources.email_receipt_mustache, .leadConfirmation: PackageResources.email_lead_confirmation_mustache,
            .magicLink: PackageResources.email_magic_link_mustache, .paymentFailed: PackageResources.email_payment_failed_mustache,
        ]
        return sources.compactMapValues { try? CompiledTemplate(String(decoding: $0, as: UTF8.self)) }
    }()

    static func load(siteFolder: String) throws -> EmailTemplates {
        var templates: [String: CompiledTemplate] = [:]
        for name in Name.allCases {
            let override = siteFolder + "/templates/emails/\(name.rawValue).mustache"
            guard let text = FileManager.default.contents(atPath: override).flatMap(TextInput.normalized) else {
                templates[name.rawValue] = builtIn[name]
                continue
            }
            do {
                templates[name.rawValue] = try CompiledTemplate(text)
            } catch {
                throw StartupError(description: "templates/emails/\(name.rawValue).mustache: \(error)")
            }
        }
        return EmailTemplates(library: TemplateLibrary(templates: templates, escapesHTML: false))
    }

    /// The subject and body of an email.
    func render(_ name: Name, _ context: TemplateValue) -> (subject: String, body: String) {
        let text = String(decoding: library.render(name.rawValue, context, sizeHint: 2048), as: UTF8.self)
        guard text.hasPrefix("Subject:"), let end = text.firstIndex(of: "\n") else { return ("", text) }
        let subject = text[text.index(text.startIndex, offsetBy: 8)..<end].trimmingCharacters(in: .whitespaces)
        return (subject, String(text[text.index(after: end)...]).trimmingCharacters(in: .newlines) + "\n")
    }
}
