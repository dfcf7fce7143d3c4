import Crypto
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

    /// Writes copies of `input` at each width `widths(for:steps:)` gives for the image as it
    /// stands upright (its EXIF orientation applied: a portrait photo stored sideways is measured
    /// the way it is shown), to the paths `outputs` gives for that width, whose suffix picks the
    /// format (`.webp`, `.jpg`, `.png`; save options in brackets, `x.jpg[Q=82,strip]`). Colours are
    /// converted to sRGB. The file is read once, into memory: when `digest` is given, the bytes must
    /// hash to it (the SHA-256 the build named the copies by; a file edited since is refused, so a
    /// cache entry never holds other pixels than its name says). It is decoded once, to the widest
    /// copy; each narrower one is shrunk from the one before. Returns each copy's width and height
    /// in pixels, narrowest first.
    /// - Throws: `Diagnostic` naming `file` with libvips' reason.
    static func copies(
        of input: String, digest: String? = nil, steps: [Int] = [320, 640, 1024, 1600], to outputs: (Int) -> [String], file: String
    ) throws(Diagnostic) -> [(width: Int, height: Int)] {
        try start(file)
        guard let data = FileManager.default.contents(atPath: input) else { throw Diagnostic(file: file, message: "cannot read the image") }
        if let digest, SHA256.hash(data: data).hexadecimal != digest {
            throw Diagnostic(file: file, message: "the image changed while the build was running", hint: "build again")
        }
        // Data.withUnsafeBytes rethrows untyped errors: the result carries the diagnostic out.
        return try data.withUnsafeBytes { bytes in Result { () throws(Diagnostic) in try copies(of: bytes, steps: steps, to: outputs, file: file) } }.get()
    }

    private static func copies(
        of bytes: UnsafeRawBufferPointer, steps: [Int], to outputs: (Int) -> [String], file: String
    ) throws(Diagnostic) -> [(width: Int, height: Int)] {
        guard var image = vips_shim_thumbnail(bytes.baseAddress, bytes.count, Int32(steps.max() ?? 1600)) else {
            throw failure(file, "cannot read the image")
        }
        defer { vips_shim_release(image) }
        var sizes: [(width: Int, height: Int)] = []
        for width in widths(for: Int(vips_shim_width(image)), steps: steps).reversed() {
            if width < Int(vips_shim_width(image)) {
                guard let smaller = vips_shim_shrink(image, Int32(width)) else { throw failure(file, "cannot make a \(width) px copy") }
                vips_shim_release(image)
                image = smaller
            }
            for output in outputs(width) where vips_shim_save(image, output) != 0 {
                let format = ((output.split(separator: "[").first.map(String.init) ?? output) as NSString).pathExtension
                throw failure(file, "cannot make a \(width) px copy (\(format))")
            }
            sizes.insert((Int(vips_shim_width(image)), Int(vips_shim_height(image))), at: 0)
        }
        return sizes
    }

    /// Writes `input` resized to `width` pixels wide (never enlarged) to `output` (see `copies`).
    @discardableResult
    static func resize(_ input: String, to output: String, width: Int, file: String) throws(Diagnostic) -> (width: Int, height: Int) {
        try copies(of: input, steps: [width], to: { _ in [output] }, file: file)[0]
    }

    /// libvips' version (`8.14.1`), which starts it.
    static func version() throws(Diagnostic) -> String {
        try start("libvips")
        return String(cString: vips_shim_version())
    }

    /// Draws an image held in memory (an SVG document: librsvg lays out its text with pango) and
    /// saves it as `output`; `what` names it in an error (`product X's Open Graph card`). Returns its
    /// width and height in pixels.
    /// - Throws: `Diagnostic` naming `file` with libvips' reason.
    @discardableResult
    static func render(_ bytes: [UInt8], to output: String, file: String, what: String = "the image") throws(Diagnostic) -> (width: Int, height: Int) {
        try start(file)
        var written: (Int32, Int32) = (0, 0)
        let status = bytes.withUnsafeBytes { vips_shim_render($0.baseAddress, $0.count, output, &written.0, &written.1) }
        guard status == 0 else { throw failure(file, "cannot draw \(what)") }
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
        // libvips may say one thing twice (once per loader pass): each line once.
        var lines: [String] = []
        for line in String(cString: vips_shim_error()).split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !line.isEmpty && !lines.contains(line) { lines.append(line) }
        let reason = lines.joined(separator: "\n")
        return Diagnostic(
            file: file, message: what + (reason.isEmpty ? "" : ": " + reason.replacingOccurrences(of: "\n", with: "; ")),
            hint: "product images are JPEG, PNG, WebP, GIF or SVG files under assets/")
    }
}
