import Crypto
import Foundation
import ShopCore
import SiteCore

/// The images step's work: for each raster image the catalog's products, bundles and lead magnets
/// show, resized copies (`ImageResizer.widths`: 320, 640, 1024 and 1600 px, never enlarged) in WebP
/// and in the original format, with fingerprinted names; and for each product with an image of its
/// own, an Open Graph card (`OpenGraphCard`).
///
/// Every copy is kept in an `ImageStore` under a key of what it was made from (the source's SHA-256
/// and `recipe`; a card's content and its cover's key), so a build whose images did not change makes
/// none: it links the stored files into the output.
struct ImagePipeline: Sendable {
    /// Raster formats by file suffix, with the formats their copies are made in (WebP first).
    static let rasterFormats: [String: [ImageCopy.Format]] = [
        "jpg": [.webp, .jpg], "jpeg": [.webp, .jpg], "png": [.webp, .png], "webp": [.webp, .jpg],
    ]
    /// What every copy's key holds besides its source: change it and every copy is made again.
    static let recipe = "sitegen-images 1 widths 320,640,1024,1600 "
        + [ImageCopy.Format.webp, .jpg, .png].map { $0.rawValue + $0.saveOptions }.joined(separator: " ")

    /// Pictures by plain asset URL (`/assets/images/products/ark.jpg`).
    var pictures: [String: Picture] = [:]
    /// Open Graph cards by product SKU: URL, width and height.
    var cards: [String: (url: String, width: Int, height: Int)] = [:]
    /// Files for the output, from the store.
    var files: [LinkedFile] = []
    /// Store entries this build made (the others were in the store already).
    var made = 0
    /// Every key this build used (the store forgets the others).
    var keys: Set<String> = []

    /// One raster image the catalog shows.
    struct Source: Sendable {
        /// Its plain URL, `/assets/images/products/ark.jpg`.
        let url: String
        let file: String
        /// The SHA-256 of its bytes, as the assets step read them.
        let digest: String
        let formats: [ImageCopy.Format]
        /// Its entry in the store: what its copies are made from.
        let key: String
    }

    /// Makes (or finds in `store`) the copies of each image in `used` (plain asset URLs; others are
    /// ignored) and a card for each product in `cards`.
    /// - Throws: `BuildError` with a diagnostic per image libvips could not read or write.
    static func build(
        used: Set<String>, cards: [CardRequest], assets: AssetPipeline, store: ImageStore
    ) throws(BuildError) -> ImagePipeline {
        var pipeline = ImagePipeline()
        let images = used.sorted().compactMap { url -> Source? in
            guard let raster = assets.rasters[url], let formats = rasterFormats[(url as NSString).pathExtension.lowercased()] else { return nil }
            return Source(
                url: url, file: raster.file, digest: raster.digest, formats: formats,
                key: key(recipe + " " + formats.map(\.rawValue).joined(separator: ",") + " " + raster.digest))
        }
        let results = store.entries(for: images, key: { $0.key }, file: { "assets" + $0.url.dropFirst("/assets".count) }) { image, folder throws(Diagnostic) in
            let file = "assets" + image.url.dropFirst("/assets".count)
            var widths: [Int] = []
            let sizes = try ImageResizer.copies(of: image.file, digest: image.digest, to: { width in
                widths.append(width)
                return image.formats.map { folder + "/\(width).\($0.rawValue)" + $0.saveOptions }
            }, file: file)
            return zip(widths.reversed(), sizes).flatMap { width, size in image.formats.map { ("\(width).\($0.rawValue)", size.width, size.height) } }
        }
        var diagnostics: [Diagnostic] = []
        var covers: [String: (key: String, file: String, mime: String)] = [:]
        for image in images {
            switch results[image.key]! {
            case let .failure(diagnostic):
                // Reported once for images with the same bytes.
                if pipeline.keys.insert(image.key).inserted { diagnostics.append(diagnostic) }
            case let .success((entry, made)):
                if pipeline.keys.insert(image.key).inserted, made { pipeline.made += 1 }
                let copies = pipeline.place(entry, key: image.key, url: image.url, store: store)
                pipeline.pictures[image.url] = Picture(copies: copies)
                // The card shows the copy nearest 640 px in JPEG or PNG (librsvg reads those everywhere).
                let fallbacks = entry.filter { !$0.name.hasSuffix(".webp") }
                if let cover = fallbacks.last(where: { $0.width <= 640 }) ?? fallbacks.first {
                    covers[image.url] = (image.key, store.path(image.key, cover.name), cover.name.hasSuffix(".png") ? "image/png" : "image/jpeg")
                }
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
        try pipeline.makeCards(cards, covers: covers, store: store)
        return pipeline
    }

    /// Links an entry's copies into the output under fingerprinted names beside the source:
    /// `/assets/images/ark.jpg` → `assets/images/ark.<10 hex digits of key>-640w.webp`.
    private mutating func place(_ entry: [ImageStore.File], key: String, url: String, store: ImageStore) -> [ImageCopy] {
        let plain = String(url.dropFirst("/".count))
        let stem = (plain as NSString).deletingPathExtension
        return entry.map { file in
            let format = ImageCopy.Format(rawValue: (file.name as NSString).pathExtension)!
            let path = "\(stem).\(key.prefix(10))-\(file.width)w.\(format.rawValue)"
            files.append(LinkedFile(path: path, source: store.path(key, file.name), size: file.size, hash: Self.hash(key + file.name), copy: false))
            return ImageCopy(format: format, width: file.width, height: file.height, url: "/" + SitePaths.encoded(path))
        }
    }

    /// The 64-hex-digit SHA-256 of `text`: a store key.
    static func key(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    static func hash(_ text: String) -> UInt64 { StableHash.of { $0.combine(text) } }
}
