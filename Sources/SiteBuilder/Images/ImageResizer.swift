import Foundation
import SiteCore
import VipsShim

/// Resizes and converts images with libvips (Debian's `libvips-dev`: a well-kept C library, so no
/// image code of our own): JPEG, PNG, WebP, GIF, TIFF and SVG in; JPEG, PNG and WebP out.
/// The build's images step (`ImagePipeline`) calls it only for images the cache does not hold.
enum ImageResizer {
    /// Width and height in pixels of the image at `path`.
    /// - Throws: `Diagnostic` naming `file` (as the user knows it) with libvips' reason.
    static func size(of path: String, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try start(file)
        var width: Int32 = 0, height: Int32 = 0
        guard vips_shim_size(path, &width, &height) == 0 else { throw failure(file, "cannot read the image") }
        return (Int(width), Int(height))
    }

    /// Writes `input` resized to each of `widths` (never enlarged; the height keeps the aspect
    /// ratio) to the paths `outputs` gives for that width, whose suffix picks the format (`.webp`,
    /// `.jpg`, `.png`; save options in brackets, `x.jpg[Q=82,strip]`). The source is decoded once,
    /// to the widest; each narrower copy is shrunk from the one before. Returns each copy's width and
    /// height in pixels, in the order of `widths`.
    /// - Throws: `Diagnostic` naming `file` with libvips' reason.
    static func resize(
        _ input: String, widths: [Int], to outputs: (Int) -> [String], file: String
    ) throws(Diagnostic) -> [(width: Int, height: Int)] {
        try start(file)
        let descending = widths.sorted(by: >)
        guard let widest = descending.first else { return [] }
        guard var image = vips_shim_thumbnail(input, Int32(widest)) else { throw failure(file, "cannot read the image") }
        defer { vips_shim_release(image) }
        var sizes: [Int: (width: Int, height: Int)] = [:]
        for width in descending {
            if width != widest {
                guard let smaller = vips_shim_shrink(image, Int32(width)) else { throw failure(file, "cannot make a \(width) px copy") }
                vips_shim_release(image)
                image = smaller
            }
            for output in outputs(width) where vips_shim_save(image, output) != 0 {
                let format = ((output.split(separator: "[").first.map(String.init) ?? output) as NSString).pathExtension
                throw failure(file, "cannot make a \(width) px copy (\(format))")
            }
            sizes[width] = (Int(vips_shim_width(image)), Int(vips_shim_height(image)))
        }
        return widths.map { sizes[$0]! }
    }

    /// Writes `input` resized to `width` pixels wide to `output` (see `resize(_:width:to:file:)`).
    @discardableResult
    static func resize(_ input: String, to output: String, width: Int, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try resize(input, widths: [width], to: { _ in [output] }, file: file)[0]
    }

    /// Draws an image held in memory (an SVG document: librsvg lays out its text with pango) and
    /// saves it as `output`. Returns its width and height in pixels.
    /// - Throws: `Diagnostic` naming `file` with libvips' reason.
    @discardableResult
    static func render(_ bytes: [UInt8], to output: String, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try start(file)
        var written: (Int32, Int32) = (0, 0)
        let status = bytes.withUnsafeBytes { vips_shim_render($0.baseAddress, $0.count, output, &written.0, &written.1) }
        guard status == 0 else { throw failure(file, "cannot draw the image") }
        return (Int(written.0), Int(written.1))
    }

    /// The widths a page offers of an image `sourceWidth` pixels wide: each standard step below it,
    /// then the image itself, up to the largest step (srcset candidates, narrowest first).
    static func widths(for sourceWidth: Int, steps: [Int] = [320, 640, 1024, 1600]) -> [Int] {
        let largest = min(sourceWidth, steps.last ?? sourceWidth)
        return steps.filter { $0 < largest } + [largest]
    }

    private static func start(_ file: String) throws(Diagnostic) {
        guard vips_shim_start() == 0 else { throw failure(file, "libvips did not start") }
    }

    private static func failure(_ file: String, _ what: String) -> Diagnostic {
        let reason = String(cString: vips_shim_error()).trimmingCharacters(in: .whitespacesAndNewlines)
        return Diagnostic(
            file: file, message: what + (reason.isEmpty ? "" : ": " + reason.replacingOccurrences(of: "\n", with: "; ")),
            hint: "product images are JPEG, PNG, WebP, GIF or SVG files under assets/")
    }
}
