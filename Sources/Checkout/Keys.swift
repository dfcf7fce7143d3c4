import ArgumentParser
import CheckoutKit
import Foundation

/// `checkout keys …`: the licence keys products with `delivery: license-key` hand out.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage licence keys.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the keys in a file (one per line) to a SKU's pool; purchases waiting for keys get them first.")
        @OptionGroup var database: Webhooks.DatabaseOption
        @Option(help: "The product SKU the keys are for (a product with `delivery: license-key`).") var sku: String
        @Option(help: "The site folder whose catalog lists the SKU (env CHECKOUT_SITE).")
        var site: String = ProcessInfo.processInfo.environment["CHECKOUT_SITE"] ?? "."
        @Argument(help: "A text file of keys, one per line (# starts a comment).") var file: String

        func run() async throws {
            let imported = try await report {
                guard FileManager.default.fileExists(atPath: file) else {
                    throw CheckoutError.invalid(field: "file", message: "no file at \(file)")
                }
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw CheckoutError.invalid(field: "file", message: "cannot read \(file) as UTF-8 text")
                }
                try LicenseKeyPool.checkSKU(sku, siteFolder: site)
                let pool = try await LicenseKeyPool(database.location, shop: database.shop)
                do {
                    let imported = try await pool.importKeys(sku: sku, text: text, file: file)
                    await pool.close()
                    return imported
                } catch {
                    await pool.close()
                    throw error
                }
            }
            print("added \(imported.added) keys to \(sku) (\(imported.duplicates) skipped: already in the pool or repeated in the file)")
            if imported.delivered > 0 { print("delivered \(imported.delivered) purchases that were waiting for keys") }
            print("\(imported.available) keys available")
        }
    }
}
