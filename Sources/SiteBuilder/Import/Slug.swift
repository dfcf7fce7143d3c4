import Foundation

/// A URL slug made from a name: letters folded to ASCII, lower-case words joined by hyphens.
///
/// Letters with diacritics become their base letters and ligatures their letters (é→e, ø→o, å→a,
/// ß→ss, æ→ae, œ→oe, ł→l), and other scripts are transliterated to Latin (ICU's
/// `Any-Latin; Latin-ASCII`), as Hugo (`removePathAccents`), Django's `slugify` and WordPress's
/// `sanitize_title` do, so `Crème Brûlée` is `creme-brulee`, not `cr-me-br-l-e`. Every other
/// character separates words: `Clothing > T-Shirts!` → `clothing-t-shirts`. The result matches the
/// catalog's slug rule (`a-z`, `0-9`, `-`) and may be empty. It is at most `maxLength` characters,
/// cut at a word, so a long name still makes a file name the file system takes.
enum Slug {
    static let maxLength = 80

    static func make(_ text: String) -> String {
        let folded = text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? text
        var slug = ""
        var pendingHyphen = false
        for scalar in folded.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                if pendingHyphen && !slug.isEmpty { slug += "-" }
                slug.unicodeScalars.append(scalar)
                pendingHyphen = false
            } else if scalar != "'" && scalar != "\u{2019}" {
                // An apostrophe joins (`Noah's` → `noahs`), as WordPress and Django do.
                pendingHyphen = true
            }
        }
        guard slug.count > maxLength else { return slug }
        let cut = slug.prefix(maxLength + 1)
        return String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut.prefix(maxLength))
    }
}
