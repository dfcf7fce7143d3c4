import Foundation
import SiteCore
import VipsShim

/// Resizes and converts images with libvips (Debian's `libvips-dev`: a well-kept C library, so no
/// image code of our own): JPEG, PNG, WebP, GIF, TIFF and SVG in; JPEG, PNG and WebP out.
///
/// The first step of product images done properly (issue 17): the build does not call it yet.
enum ImageResizer {
    /// Width and height in pixels of the image at `path`.
    /// - Throws: `Diagnostic` naming `file` (as the user knows it) with libvips' reason.
    static func size(of path: String, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try start(file)
        var width: Int32 = 0, height: Int32 = 0
        guard vips_shim_size(path, &width, &height) == 0 else { throw failure(file, "cannot read the image") }
        return (Int(width), Int(height))
    }

    /// Writes `input` resized to `width` pixels wide (never enlarged; the height keeps the aspect
    /// ratio) to `output`, whose suffix picks the format (`.webp`, `.jpg`, `.png`). Returns the
    /// written image's width and height in pixels.
    /// - Throws: `Diagnostic` naming `file` with libvips' reason.
    static func resize(_ input: String, to output: String, width: Int, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try start(file)
        var written: (Int32, Int32) = (0, 0)
        guard vips_shim_resize(input, output, Int32(width), &written.0, &written.1) == 0 else {
            throw failure(file, "cannot make a \(width) px copy (\((output as NSString).pathExtension))")
        }
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
