@testable import SiteBuilder
import Testing

/// Where content can go: the kind of a file from its path under `content/`, read as the file system reads it.
@Suite struct ContentKindTests {
    @Test(arguments: [
        ("products/noah.md", ContentKind.product), ("niches/kids.md", .niche), ("bundles/all.md", .bundle), ("free/guide.md", .magnet),
        ("pages/about.md", .page), ("home.md", .home), ("thank-you.md", .thankYou), ("404.md", .notFound),
        // Empty parts left out, as the file system reads them.
        ("products//noah.md", .product), ("/home.md", .home),
    ])
    func aKnownPlace(path: String, kind: ContentKind) {
        #expect(ContentKind.of(relativePath: path) == kind)
    }

    @Test(arguments: ["blog/post.md", "products/series/noah.md", "noah.md", "products/", "Products/noah.md", ""])
    func noPlaceContentCanGo(path: String) {
        #expect(ContentKind.of(relativePath: path) == nil)
    }
}
