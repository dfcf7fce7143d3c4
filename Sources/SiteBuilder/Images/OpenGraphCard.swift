import Foundation

/// A product's Open Graph card: the 1200×630 image social platforms show for a shared link
/// (`og:image`; Facebook's and LinkedIn's recommended size, 1.91:1, which X's
/// `summary_large_image` shows too). The cover on the left, then the shop's name, the product's
/// title and its price.
///
/// The card is an SVG document drawn by libvips (librsvg, text laid out by pango) and saved as
/// JPEG; this type only writes the document, so what a card shows is a pure function, tested as text.
enum OpenGraphCard {
    static let width = 1200
    static let height = 630
    /// Bump when the layout changes: it is part of every card's key, so cached cards are made again.
    static let layoutVersion = 1

    /// What a card shows.
    struct Content: Sendable, Hashable {
        let shop: String
        let title: String
        /// The price as the product page shows it now, e.g. `$4.99` or `From $3.00`.
        let price: String
        /// The regular price struck through beside a sale price; empty when not on sale.
        let regularPrice: String
    }

    /// The SVG document of the card. `cover` is an image file's bytes and MIME type (`image/jpeg`,
    /// `image/png`, `image/svg+xml`), embedded as a `data:` URL (librsvg loads no other files).
    static func svg(_ content: Content, cover: (mime: String, bytes: [UInt8])?) -> String {
        let textLeft = cover == nil ? 80 : 690
        // Text runs from textLeft to 50 px short of the right edge.
        let room = Double(width - textLeft - 50)
        let titleLines = lines(content.title, width: room, size: 56, maxLines: 4)
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
        <rect width="\(width)" height="\(height)" fill="#fbf7f0"/>
        <rect x="0" y="\(height - 12)" width="\(width)" height="12" fill="#2f5d50"/>

        """
        if let cover {
            let data = Data(cover.bytes).base64EncodedString()
            svg += """
            <image x="0" y="0" width="630" height="618" preserveAspectRatio="xMidYMid slice" href="data:\(cover.mime);base64,\(data)"/>

            """
        }
        let font = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\""
        // The shop's name in 26 px regular capitals, spaced 2 px: measured as bold at 22 px in 90 % of the room.
        let shop = lines(content.shop.uppercased(), width: room * 0.9, size: 22, maxLines: 1).first ?? ""
        svg += "<text x=\"\(textLeft)\" y=\"110\" \(font) font-size=\"26\" fill=\"#5b6470\" letter-spacing=\"2\">\(SiteFiles.escapeXML(shop))</text>\n"
        for (offset, line) in titleLines.enumerated() {
            svg += "<text x=\"\(textLeft)\" y=\"\(210 + offset * 68)\" \(font) font-size=\"56\" font-weight=\"bold\" fill=\"#1d2430\">\(SiteFiles.escapeXML(line))</text>\n"
        }
        svg += "<text x=\"\(textLeft)\" y=\"560\" \(font) font-size=\"60\" font-weight=\"bold\" fill=\"\(content.regularPrice.isEmpty ? "#2f5d50" : "#b3261e")\">\(SiteFiles.escapeXML(content.price))"
        if !content.regularPrice.isEmpty {
            svg += "<tspan font-size=\"36\" font-weight=\"normal\" fill=\"#5b6470\" text-decoration=\"line-through\" dx=\"24\">\(SiteFiles.escapeXML(content.regularPrice))</tspan>"
        }
        svg += "</text>\n</svg>\n"
        return svg
    }

    /// `text` broken at spaces into lines at most `width` pixels wide in DejaVu Sans at `size`
    /// pixels (`estimatedWidth`; a word wider than a line is cut with `…`); more than `maxLines`
    /// lines end in `…` on the last one.
    static func lines(_ text: String, width: Double, size: Double, maxLines: Int) -> [String] {
        let fits = { (line: String) in estimatedWidth(line, size: size) <= width }
        func cut(_ word: String) -> String {
            var kept = word
            while !kept.isEmpty, !fits(kept + "…") { kept.removeLast() }
            return kept + "…"
        }
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let word = fits(word) ? word : cut(word)
            if current.isEmpty {
                current = word
            } else if fits(current + " " + word) {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        kept[maxLines - 1] = fits(kept[maxLines - 1] + "…") ? kept[maxLines - 1] + "…" : cut(kept[maxLines - 1])
        return kept
    }

    /// A generous estimate of `text`'s width in pixels in DejaVu Sans Bold at `size` pixels, from
    /// its advance widths (units of the em, rounded up by class): the card lays text out without
    /// measuring it, so the estimate errs wide rather than let a line run off the card.
    static func estimatedWidth(_ text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case " ": ems += 0.35
            case "i", "j", "l", "I", ".", ",", ";", ":", "!", "'", "|", "’": ems += 0.38
            case "f", "t", "r", "(", ")", "[", "]", "-", "/": ems += 0.52
            case "m", "w", "M", "W", "@", "%", "…", "—": ems += 1.1
            case "0"..."9", "$", "€", "£": ems += 0.72
            default: ems += character.isUppercase ? 0.82 : 0.72
            }
        }
        return ems * size
    }
}
