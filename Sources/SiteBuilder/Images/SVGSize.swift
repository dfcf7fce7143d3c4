import Foundation

/// The size an SVG image is shown at by default, read from its root `<svg>` element, so a page can
/// reserve its box (`width`/`height` on `<img>`) before it loads, whatever its shape.
///
/// Per SVG 2 (§ 8.2, "Intrinsic sizing properties of the viewport of SVG images"): the `width` and
/// `height` attributes when they are lengths in pixels (or unitless); a missing one follows from the
/// `viewBox`'s aspect ratio; with neither, the `viewBox`'s own width and height.
enum SVGSize {
    /// The largest side taken as a size: anything larger (or infinite) is treated as unknown.
    static let largest = 100_000.0

    /// Width and height in pixels, or nil when the document does not say (percentages, ems, no
    /// viewBox) or says something absurd.
    static func of(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard let attributes = rootAttributes(Array(String(decoding: bytes.prefix(16_384), as: UTF8.self))) else { return nil }
        let box = attributes["viewBox"].map { $0.split { $0.isWhitespace || $0 == "," }.compactMap { Double($0) } }
        let ratio = box.flatMap { $0.count == 4 && $0[2] > 0 && $0[3] > 0 ? $0[2] / $0[3] : nil }
        var width = attributes["width"].flatMap(pixels), height = attributes["height"].flatMap(pixels)
        if width == nil, let height, let ratio { width = height * ratio }
        if height == nil, let width, let ratio { height = width / ratio }
        if width == nil, height == nil, let box, box.count == 4 { (width, height) = (box[2], box[3]) }
        guard let width, let height, width.isFinite, height.isFinite, (1...largest).contains(width), (1...largest).contains(height)
        else { return nil }
        return (Int(width.rounded()), Int(height.rounded()))
    }

    /// The attributes of the first `<svg` element outside comments, processing instructions and
    /// the doctype; a `>` inside a quoted value does not end the tag.
    private static func rootAttributes(_ text: [Character]) -> [String: String]? {
        var index = 0
        func starts(_ prefix: String) -> Bool {
            let needle = Array(prefix)
            return index + needle.count <= text.count && Array(text[index..<index + needle.count]) == needle
        }
        func skip(past end: String) {
            while index < text.count, !starts(end) { index += 1 }
            index += end.count
        }
        while index < text.count {
            if starts("<!--") { skip(past: "-->") }
            else if starts("<?") { skip(past: "?>") }
            else if starts("<!") { skip(past: ">") }
            else if starts("<svg"), index + 4 < text.count, text[index + 4].isWhitespace || text[index + 4] == ">" || text[index + 4] == "/" {
                index += 4
                break
            } else { index += 1 }
        }
        guard index < text.count else { return nil }
        // Read name="value" pairs up to the tag's end.
        var attributes: [String: String] = [:]
        while index < text.count, text[index] != ">" {
            guard text[index].isLetter else { index += 1; continue }
            var name = ""
            while index < text.count, text[index].isLetter || text[index].isNumber || ":.-_".contains(text[index]) { name.append(text[index]); index += 1 }
            while index < text.count, text[index].isWhitespace { index += 1 }
            guard index < text.count, text[index] == "=" else { continue }
            index += 1
            while index < text.count, text[index].isWhitespace { index += 1 }
            guard index < text.count, text[index] == "\"" || text[index] == "'" else { continue }
            let quote = text[index]
            index += 1
            var value = ""
            while index < text.count, text[index] != quote { value.append(text[index]); index += 1 }
            index += 1
            attributes[name] = value
        }
        return attributes
    }

    /// `600`, `600px`, `600.5` → pixels; other units (`%`, `em`, `mm`) → nil.
    private static func pixels(_ length: String) -> Double? {
        let trimmed = length.trimmingCharacters(in: .whitespaces)
        return Double(trimmed.hasSuffix("px") ? String(trimmed.dropLast(2)) : trimmed)
    }
}
