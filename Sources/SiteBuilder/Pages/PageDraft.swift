import Foundation
import SiteCore

/// A link written in Markdown, located in its source file, to name the line when it is broken.
struct SourceLink: Sendable, Hashable {
    let url: String
    let file: String
    let line: Int
}

/// What rendering one page produces before its links are checked.
struct PageDraft {
    var html: [UInt8] = []
    var sourceLinks: [SourceLink] = []
    var diagnostics: [Diagnostic] = []
    /// Every input the page read (`PageInputs` keys), so the build cache knows when to render it again.
    var reads: Set<String> = ["global"]

    mutating func read(_ key: String) { reads.insert(key) }

    /// Renders Markdown copy to HTML, expanding product and bundle embeds into cards, and records
    /// its links with their lines in `file` (the body starts on `bodyLine`).
    mutating func markdown(_ body: String, file: String, bodyLine: Int, model: SiteModel) -> String {
        let extracted: Embed.Extracted
        do {
            extracted = try Embed.extract(from: body)
        } catch {
            var located = error
            located.file = file
            located.line = bodyLine - 1 + (error.line ?? 1)
            diagnostics.append(located)
            return ""
        }
        let rendered = model.markdown.render(extracted.markdown)
        for link in rendered.links {
            sourceLinks.append(SourceLink(url: link.url, file: file, line: bodyLine - 1 + extracted.originalLine(link.line)))
        }
        guard !extracted.embeds.isEmpty else { return rendered.html }
        var html = rendered.html
        for (position, embed) in extracted.embeds.enumerated() {
            let card: String
            switch embed.kind {
            case .product:
                guard let context = model.productCards[embed.key] else {
                    diagnostics.append(unknownEmbed(embed, file: file, bodyLine: bodyLine, known: model.productCards.skus, what: "product SKU"))
                    continue
                }
                read("product:" + embed.key)
                read("template:product-card")
                card = String(decoding: model.theme.render("product-card", context), as: UTF8.self)
            case .bundle:
                guard let context = model.bundleCards[embed.key] else {
                    diagnostics.append(unknownEmbed(embed, file: file, bodyLine: bodyLine, known: Array(model.bundleCards.keys), what: "bundle"))
                    continue
                }
                read("bundle:" + embed.key)
                read("template:bundle-card")
                card = String(decoding: model.theme.render("bundle-card", context), as: UTF8.self)
            }
            html = html.replacingOccurrences(of: "<p>\(Embed.marker(position))</p>", with: card)
        }
        return html
    }

    private func unknownEmbed(_ embed: Embed, file: String, bodyLine: Int, known: [String], what: String) -> Diagnostic {
        Diagnostic(
            file: file, line: bodyLine - 1 + embed.line, message: "unknown \(what) '\(embed.key)' in \(embed.kind.rawValue) shortcode",
            hint: Suggestions.hint(embed.key, among: known))
    }
}
