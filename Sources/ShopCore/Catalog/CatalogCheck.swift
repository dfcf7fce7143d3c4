/// One problem `CatalogCheck` found: which record, which field, what is wrong, how to fix it.
public struct CatalogIssue: Hashable, Sendable, CustomStringConvertible {
    /// `file:line` when the catalog came from text, else the database path.
    public var location: String
    public var record: String
    public var field: String
    public var message: String
    public var hint: String?

    public var description: String {
        "\(location): \(record): field '\(field)': \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// Every problem in a catalog, found in one pass; the build refuses a catalog with any.
public struct CatalogCheckError: Error, Sendable, CustomStringConvertible {
    public let issues: [CatalogIssue]

    public init(issues: [CatalogIssue]) { self.issues = issues }
    public var description: String {
        issues.map(\.description).joined(separator: "\n") + "\n\(issues.count) problem\(issues.count == 1 ? "" : "s") in the catalog"
    }
}

/// Checks what the text format cannot: references between records, uniqueness, ranges, files.
public struct CatalogCheck {
    let catalog: Catalog
    let index: CatalogIndex
    let locate: (String, String) -> String
    /// Names of the files the shop can deliver, or nil to skip the file check.
    let availableFiles: Set<String>?
    private(set) var issues: [CatalogIssue] = []

    /// - Parameter index: the catalog's index, when the caller has one already.
    public init(
        catalog: Catalog, source: CatalogSourceMap?, fallbackLocation: String = "catalog", availableFiles: Set<String>? = nil,
        index: CatalogIndex? = nil
    ) {
        self.catalog = catalog
        self.index = index ?? CatalogIndex(catalog)
        self.availableFiles = availableFiles
        self.locate = { kind, key in
            guard let source, let line = source.line(of: kind, key) else { return fallbackLocation }
            return "\(source.file):\(line)"
        }
    }

    /// A sale below the price it reduces; pay what you want with a suggested price at or above its
    /// minimum and no tiers (the shopper names the unit price).
    private mutating func checkPriceRules(_ product: Product) {
        if let sale = product.sale, sale.price >= product.price {
            report("product", product.sku, "sale-price", "sale price \(sale.price.formatted) is not below the price \(product.price.formatted)",
                   hint: "a sale lowers the price; remove `sale-price` or lower it")
        }
        for variant in index.variants(of: product) {
            if let sale = variant.sale, let regular = index.price(of: variant), sale.price >= regular {
                report("variant", variant.sku, "sale-price", "sale price \(sale.price.formatted) is not below the price \(regular.formatted)",
                       hint: "a sale lowers the price; remove `sale-price` or lower it")
            }
        }
        // What the text parser refuses, for catalogs kept only in the database.
        var previous: PriceTier?
        for tier in product.tiers {
            if tier.minimumQuantity < 2 || previous.map({ tier.minimumQuantity <= $0.minimumQuantity || tier.unitPrice >= $0.unitPrice }) == true {
                report("product", product.sku, "tiers", "tiers must start at 2 or more, rise in quantity and fall in price",
                       hint: "e.g. `5+ 15.00 \(product.price.currency.code), 20+ 12.00 \(product.price.currency.code)`")
                break
            }
            previous = tier
        }
        if let first = product.tiers.first, first.unitPrice >= product.price {
            report("product", product.sku, "tiers", "the first tier's \(first.unitPrice.formatted) is not below the price \(product.price.formatted)",
                   hint: "a tier lowers the price per unit from its quantity on")
        }
        if let stock = product.stock, stock < 0 {
            report("product", product.sku, "stock", "'\(stock)' is negative", hint: "the number of units that may be sold, 0 for sold out")
        }
        if !product.licensePattern.isEmpty && product.delivery != .licenseKey {
            report("product", product.sku, "license-pattern", "a licence pattern without `delivery: license-key`",
                   hint: "add `delivery: license-key` or remove the pattern")
        }
        if !product.licensePattern.isEmpty && !LicensePattern.isStrong(product.licensePattern) {
            report("product", product.sku, "license-pattern", "'\(product.licensePattern)' has fewer than \(LicensePattern.minimumRandomCharacters) X",
                   hint: "each X is a random letter or digit; 12 or more make keys that cannot be guessed, e.g. MSP-XXXX-XXXX-XXXX")
        }
        guard let rule = product.payWhatYouWant else { return }
        if product.price < rule.minimum {
            report("product", product.sku, "price", "the suggested price \(product.price.formatted) is below minimum-price \(rule.minimum.formatted)",
                   hint: "with `minimum-price`, `price` is the amount suggested to shoppers")
        }
        if !product.tiers.isEmpty {
            report("product", product.sku, "tiers", "a pay-what-you-want product cannot have quantity tiers",
                   hint: "the shopper names the unit price; remove `tiers` or `minimum-price`")
        }
    }

    /// Runs every check and returns the issues in catalog order.
    public mutating func run() -> [CatalogIssue] {
        issues = []
        let niches = Set(catalog.niches.map(\.slug))
        let nicheList = catalog.niches.map(\.slug).joined(separator: ", ")
        var skus: [String: String] = [:]
        func claim(_ sku: String, by owner: String, kind: String, key: String) {
            if let first = skus[sku] {
                report(kind, key, "sku", "SKU '\(sku)' is also used by \(first)", hint: "SKUs are unique across products, variants, bundles and plans")
            } else {
                skus[sku] = owner
            }
        }
        var slugs: [String: String] = [:]
        for niche in catalog.niches {
            checkSlug(niche.slug, kind: "niche", key: niche.slug)
        }
        for product in catalog.products {
            claim(product.sku, by: "product \(product.sku)", kind: "product", key: product.sku)
            checkSlug(product.slug, kind: "product", key: product.sku)
            if let other = slugs[product.slug] {
                report("product", product.sku, "slug", "slug '\(product.slug)' is also the slug of \(other)", hint: "each product page needs its own URL")
            }
            slugs[product.slug] = "product \(product.sku)"
            if !niches.contains(product.niche) {
                report("product", product.sku, "niche", "'\(product.niche)' is not a niche", hint: "niches: \(nicheList)")
            }
            checkFiles(product.files, kind: "product", key: product.sku)
            checkPriceRules(product)
        }
        let products = Set(catalog.products.map(\.sku))
        for variant in catalog.variants {
            claim(variant.sku, by: "variant \(variant.sku)", kind: "variant", key: variant.sku)
            if !products.contains(variant.product) {
                report("variant", variant.sku, "product", "'\(variant.product)' is not a product SKU")
            }
            checkFiles(variant.files, kind: "variant", key: variant.sku)
        }
        for bundle in catalog.bundles {
            claim(bundle.sku, by: "bundle \(bundle.slug)", kind: "bundle", key: bundle.slug)
            checkSlug(bundle.slug, kind: "bundle", key: bundle.slug)
            for niche in bundle.rule.niches where !niches.contains(niche) {
                report("bundle", bundle.slug, "niches", "'\(niche)' is not a niche", hint: "niches: \(nicheList)")
            }
            for sku in bundle.rule.skus where !products.contains(sku) {
                report("bundle", bundle.slug, "skus", "'\(sku)' is not a product SKU")
            }
            if !bundle.rule.selectsByAttributes && bundle.rule.skus.isEmpty {
                report("bundle", bundle.slug, "niches", "the bundle has no rule", hint: "give it niches, tags or skus")
            } else if index.contents(of: bundle).count < 2 {
                report("bundle", bundle.slug, "tags", "the rule matches \(index.contents(of: bundle).count) active product(s)", hint: "a bundle needs at least two products")
            }
        }
        for plan in catalog.plans {
            claim(plan.sku, by: "plan \(plan.slug)", kind: "plan", key: plan.slug)
            checkSlug(plan.slug, kind: "plan", key: plan.slug)
            if plan.price.amount <= 0 { report("plan", plan.slug, "price", "a plan must cost more than zero") }
            if let percent = plan.memberDiscountPercent, !(0...100).contains(percent) {
                report("plan", plan.slug, "member-discount", "\(percent)% is not from 0 to 100")
            }
            if !plan.grantsAll && plan.niches.isEmpty {
                report("plan", plan.slug, "grants", "the plan grants nothing", hint: "list niches or write `grants: all`")
            }
            for niche in plan.niches where !niches.contains(niche) {
                report("plan", plan.slug, "grants", "'\(niche)' is not a niche", hint: "niches: \(nicheList)")
            }
        }
        for magnet in catalog.leadMagnets {
            checkSlug(magnet.slug, kind: "lead-magnet", key: magnet.slug)
            if !magnet.niche.isEmpty && !niches.contains(magnet.niche) {
                report("lead-magnet", magnet.slug, "niche", "'\(magnet.niche)' is not a niche", hint: "niches: \(nicheList)")
            }
            checkFiles([magnet.file], kind: "lead-magnet", key: magnet.slug)
        }
        for coupon in catalog.coupons {
            if (coupon.percentOff == nil) == (coupon.amountOff == nil) {
                report("coupon", coupon.code, "percent-off", "give exactly one of percent-off and amount-off")
            }
            if let percent = coupon.percentOff, percent == 0 {
                report("coupon", coupon.code, "percent-off", "a coupon must take something off")
            }
            if !coupon.startsOn.isEmpty && !coupon.expiresOn.isEmpty && coupon.expiresOn < coupon.startsOn {
                report("coupon", coupon.code, "expires", "expires before it starts")
            }
            for niche in coupon.niches where !niches.contains(niche) {
                report("coupon", coupon.code, "niches", "'\(niche)' is not a niche", hint: "niches: \(nicheList)")
            }
        }
        return issues
    }

    private mutating func checkSlug(_ slug: String, kind: String, key: String) {
        let allowed = slug.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        if !allowed || slug.isEmpty {
            report(kind, key, "slug", "'\(slug)' is not a URL slug", hint: "lower-case letters, digits and hyphens")
        }
    }

    private mutating func checkFiles(_ files: [String], kind: String, key: String) {
        for file in files {
            if RemoteFile.isRemote(file) {
                if let problem = RemoteFile.problem(file) { report(kind, key, "files", problem) }
            } else if file.hasPrefix("/") || file.split(separator: "/").contains("..") {
                report(kind, key, "files", "'\(file)' leaves the files folder", hint: "name files relative to the shop's files folder")
            } else if let availableFiles, !availableFiles.contains(file) {
                report(kind, key, "files", "'\(file)' is not in the files folder")
            }
        }
    }

    private mutating func report(_ kind: String, _ key: String, _ field: String, _ message: String, hint: String? = nil) {
        issues.append(CatalogIssue(location: locate(kind, key), record: "\(kind) \(key)", field: field, message: message, hint: hint))
    }
}
