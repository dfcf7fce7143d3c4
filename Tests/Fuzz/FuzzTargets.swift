@testable import CheckoutKit
import Crypto
import Foundation
import ShopCore
@testable import SiteBuilder
@testable import SiteCore

/// The parsers of outside input, each as a libFuzzer target: given any bytes, answer or refuse, never
/// trap. `scripts/fuzz TARGET` runs one under libFuzzer (coverage-guided, with AddressSanitizer);
/// an input that ever crashed one is kept in `Tests/Fuzz/Regressions/TARGET/`, and the seeded fuzz
/// tests of the suite start from those files (`FuzzInputs.regressions`).
enum FuzzTargets {
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "form": { bytes in
            _ = try? RequestBody.form(FormCartController.AddForm.self, from: String(decoding: bytes, as: UTF8.self))
            _ = try? RequestBody.form(LeadController.LeadRequest.self, from: String(decoding: bytes, as: UTF8.self))
        },
        "json": { bytes in
            _ = try? RequestBody.json(CartController.NewCart.self, from: Data(bytes))
            _ = try? RequestBody.json(CheckoutController.CheckoutRequest.self, from: Data(bytes))
        },
        "range": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            for size in [0, 1, 100, Int.max] {
                if case let .part(range) = ByteRange.parse(text, size: size), range.lowerBound < 0 || range.upperBound >= size { fatalError("range \(range) outside \(size) bytes") }
            }
        },
        "download-token": { bytes in
            _ = try? DownloadLink.verify(String(decoding: bytes, as: UTF8.self), secret: key, now: 0)
        },
        "smtp-url": { bytes in _ = try? SMTPConfiguration.parse(String(decoding: bytes, as: UTF8.self)) },
        "stripe-event": { bytes in
            if let event = try? StripeEvent.decode(Data(bytes)) { _ = isoTime(event.created) }
        },
        "stripe-signature": { bytes in
            _ = try? StripeSignature(secret: "whsec_fuzz").verify(
                header: String(decoding: bytes, as: UTF8.self), payload: Data("{}".utf8), now: Date(timeIntervalSince1970: 1_700_000_000))
        },
        "email": { bytes in _ = EmailAddress.normalized(String(decoding: bytes, as: UTF8.self)) },
        "catalog-text": { bytes in
            guard let (catalog, map) = try? CatalogText.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.txt") else { return }
            var check = CatalogCheck(catalog: catalog, source: map)
            _ = check.run()
            let index = CatalogIndex(catalog)
            for bundle in catalog.bundles { _ = index.pricing(of: bundle) }
            _ = CartPricing.price(
                catalog.products.prefix(50).map { CartLineRequest(id: $0.sku, sku: $0.sku, quantity: 100) }, coupon: catalog.coupons.first?.code,
                index: index, at: "2026-12-01")
        },
        "front-matter": { bytes in _ = try? ContentFile(path: "content/fuzz.md", text: String(decoding: bytes, as: UTF8.self)) },
        "site-yaml": { bytes in _ = try? SiteConfig.parse(String(decoding: bytes, as: UTF8.self), file: "site.yaml") },
        "csv": { bytes in
            guard let table = try? CSVTable(text: String(decoding: bytes, as: UTF8.self), file: "fuzz.csv") else { return }
            _ = WooCommerceImport.apply(table, file: "fuzz.csv", to: Catalog(), at: "2026-12-01")
        },
        "html": { bytes in
            let html = String(decoding: bytes, as: UTF8.self)
            let markdown = HTMLToMarkdown.convert(html)
            if markdown.unicodeScalars.contains(where: { $0.value == 1 || $0.value == 2 }) { fatalError("a break mark leaked into \(markdown)") }
            let rendered = MarkdownRenderer(allowRawHTML: true).render(markdown).html.lowercased()
            if rendered.contains("<script") || rendered.firstMatch(of: /<[a-z][^>]*\son[a-z]+\s*=/) != nil { fatalError("active HTML from \(html)") }
            _ = HTMLToMarkdown.plainText(html)
        },
    ]

    static let key = SymmetricKey(data: Data("fuzz".utf8))

    /// The target `FUZZ_TARGET` names.
    static var selected: @Sendable ([UInt8]) -> Void {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = all[name] else {
            FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(all.keys.sorted().joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }
}

/// The selected target, chosen on the first input.
private let target = FuzzTargets.selected

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver, for a program that has its own `main` (SwiftPM gives every executable one).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct FuzzMain {
    /// Runs libFuzzer over `FUZZ_TARGET` (the program is built with `-sanitize=fuzzer` by `scripts/fuzz`).
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }
}
