import Foundation

/// The size an SVG image is shown at by default, read from its root `<svg>` element, so a page can
/// reserve its box (`width`/`height` on `<img>`) before it loads, whatever its shape.
///
/// Per SVG 2 (§ 8.2, "Intrinsic sizing properties of the viewport of SVG images"): the `width` and
/// `height` attributes when they are lengths in pixels (or unitless); a missing one follows from the
/// `viewBox`'s aspect ratio; with neither, the `viewBox`'s own width and height.
enum SVGSize {
    /// Width and height in pixels, or nil when the document does not say (percentages, ems, no viewBox).
    static func of(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let head = String(decoding: bytes.prefix(8192), as: UTF8.self)
        guard let open = head.range(of: "<svg"), let close = head[open.upperBound...].firstIndex(of: ">") else { return nil }
        var attributes: [String: String] = [:]
        for match in head[open.upperBound..<close].matches(of: /([A-Za-z][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/) {
            attributes[String(match.output.1)] = String(match.output.2 ?? match.output.3 ?? "")
        }
        let box = attributes["viewBox"].map { $0.split { $0 == " " || $0 == "," }.compactMap { Double($0) } }
        let ratio = box.flatMap { $0.count == 4 && $0[2] > 0 && $0[3] > 0 ? $0[2] / $0[3] : nil }
        var width = attributes["width"].flatMap(pixels), height = attributes["height"].flatMap(pixels)
        if width == nil, let height, let ratio { width = height * ratio }
        if height == nil, let width, let ratio { height = width / ratio }
        if width == nil, height == nil, let box, box.count == 4 { (width, height) = (box[2], box[3]) }
        guard let width, let height, width >= 1, height >= 1 else { return nil }
        return (Int(width.rounded()), Int(height.rounded()))
    }

    /// `600`, `600px`, `600.5` → pixels; other units (`%`, `em`, `mm`) → nil.
    private static func pixels(_ length: String) -> Double? {
        let trimmed = length.trimmingCharacters(in: .whitespaces)
        return Double(trimmed.hasSuffix("px") ? String(trimmed.dropLast(2)) : trimmed)
    }
}
