import Foundation
import SiteCore

extension ImagePipeline {
    /// A product whose card the build makes: the card shows `content` and the image at `image`
    /// (a plain asset URL).
    struct CardRequest: Sendable {
        let sku: String
        let slug: String
        let image: String
        let content: OpenGraphCard.Content
    }

    /// Makes (or finds in `store`) the Open Graph card of each product in `requests` whose image is
    /// a raster asset (`covers`, by plain URL: its store key, the copy to show and its MIME type),
    /// saved as JPEG and linked into the output as `assets/og/SLUG.<10 hex digits>.jpg`.
    /// - Throws: `BuildError` naming each cover libvips could not draw a card with.
    mutating func makeCards(
        _ requests: [CardRequest], covers: [String: (key: String, file: String, mime: String)], store: ImageStore
    ) throws(BuildError) {
        let jobs = requests.compactMap { request -> (request: CardRequest, key: String, cover: (key: String, file: String, mime: String))? in
            guard let cover = covers[request.image] else { return nil }
            let content = request.content
            let key = Self.key(
                "card \(OpenGraphCard.layoutVersion)\n\(content.shop)\n\(content.title)\n\(content.price)\n\(content.regularPrice)\n\(cover.key)")
            return (request, key, cover)
        }
        let results = store.entries(for: jobs, key: { $0.key }, file: { "assets" + $0.request.image.dropFirst("/assets".count) }) { job, folder throws(Diagnostic) in
            let file = "assets" + job.request.image.dropFirst("/assets".count)
            guard let bytes = FileManager.default.contents(atPath: job.cover.file) else {
                throw Diagnostic(file: file, message: "cannot read the copy of the image made for product \(job.request.sku)'s card")
            }
            let svg = OpenGraphCard.svg(job.request.content, cover: (job.cover.mime, [UInt8](bytes)))
            let size = try ImageResizer.render(
                Array(svg.utf8), to: folder + "/card.jpg[Q=85,strip,interlace]", file: file, what: "product \(job.request.sku)'s Open Graph card")
            return [("card.jpg", size.width, size.height)]
        }
        var diagnostics: [Diagnostic] = []
        for job in jobs {
            switch results[job.key]! {
            case let .failure(diagnostic): if keys.insert(job.key).inserted { diagnostics.append(diagnostic) }
            case let .success((entry, made)):
                if keys.insert(job.key).inserted, made { self.made += 1 }
                let card = entry[0]
                let path = "assets/og/\(job.request.slug).\(job.key.prefix(10)).jpg"
                files.append(LinkedFile(path: path, source: store.path(job.key, card.name), size: card.size, hash: Self.hash(job.key), copy: false))
                cards[job.request.sku] = ("/" + SitePaths.encoded(path), card.width, card.height)
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
    }
}
