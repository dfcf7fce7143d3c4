import SiteCore

/// An image as a page shows it: one URL, or, for a raster image, its resized copies as a
/// `<picture>` offers them (a WebP `<source>`, then an `<img>` in the original format), with the
/// width and height that let the browser reserve its box before it loads (no layout shift).
///
/// Templates get it as `image` (the fallback URL), `image_srcset` and `image_webp` (srcset lists,
/// `URL 640w, …`; empty for SVG or absolute URLs), `image_width` and `image_height` (pixels).
struct Picture: Sendable, Hashable {
    /// The URL an `<img>` falls back to: the original format, the copy nearest 640 px wide.
    let src: String
    /// `srcset` of the copies in the original format, narrowest first; empty for an image used as it is.
    let srcset: String
    /// `srcset` of the WebP copies; empty for an image used as it is.
    let webpSrcset: String
    /// Intrinsic width and height in pixels of the widest copy (the aspect ratio is what matters).
    let width: Int
    let height: Int

    /// An image used as it is (SVG, an absolute URL): the theme's square box.
    static func plain(_ url: String) -> Picture { Picture(src: url, srcset: "", webpSrcset: "", width: 600, height: 600) }

    /// The copies of one raster image: `copies` in the original format and in WebP, by width.
    init(copies: [ImageCopy]) {
        let original = copies.filter { $0.format != .webp }, webp = copies.filter { $0.format == .webp }
        let fallback = original.last { $0.width <= 640 } ?? original.first ?? webp[0]
        src = fallback.url
        srcset = original.map { "\($0.url) \($0.width)w" }.joined(separator: ", ")
        webpSrcset = webp.map { "\($0.url) \($0.width)w" }.joined(separator: ", ")
        let widest = copies.max { $0.width < $1.width }!
        width = widest.width
        height = widest.height
    }

    init(src: String, srcset: String, webpSrcset: String, width: Int, height: Int) {
        self.src = src
        self.srcset = srcset
        self.webpSrcset = webpSrcset
        self.width = width
        self.height = height
    }

    /// `image`, `image_srcset`, `image_webp`, `image_width`, `image_height` for a template context.
    var fields: [String: TemplateValue] {
        [
            "image": .text(src), "image_srcset": .text(srcset), "image_webp": .text(webpSrcset),
            "image_width": .int(width), "image_height": .int(height),
        ]
    }
}

/// One resized copy of an image, as the output holds it.
struct ImageCopy: Sendable, Hashable {
    enum Format: String, Sendable {
        case webp, jpg, png

        /// libvips' save options: metadata (EXIF, GPS, ICC) stripped; progressive JPEG, transparency
        /// (a WebP's or PNG's) on white, not black.
        var saveOptions: String {
            switch self {
            case .webp: "[Q=80,strip]"
            case .jpg: "[Q=82,strip,interlace,background=255]"
            case .png: "[strip]"
            }
        }
    }

    let format: Format
    let width: Int
    let height: Int
    /// Its URL, e.g. `/assets/images/products/ark.3f9a0c1be2-640w.webp`.
    let url: String
}
