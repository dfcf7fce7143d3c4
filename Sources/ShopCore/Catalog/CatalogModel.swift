/// A niche (category) of the shop, e.g. "Kids Bible".
public struct Niche: Hashable, Sendable, Codable {
    public var slug: String
    public var title: String
    public var summary: String
    public var position: Int

    public init(slug: String, title: String, summary: String = "", position: Int = 0) {
        self.slug = slug
        self.title = title
        self.summary = summary
        self.position = position
    }
}

/// Whether a product can be bought.
public enum ProductStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Listed and for sale.
    case active
    /// Not listed yet; the checkout refuses it.
    case draft
    /// No longer sold; past buyers keep their downloads.
    case archived
}

/// A product as sold: one page, one or more variants (formats such as US Letter / A4).
///
/// A value like any other, whose fields live in one shared, copy-on-write box: a copy costs one
/// retain instead of one per field. Copies of products (into indexes, niche lists, bundles, sorts)
/// were about a tenth of a one-edit cached build at 10,000 products (perf).
public struct Product: Hashable, Sendable, Codable {
    /// The identifier carts accept, shown as `sku` in the page's JSON-LD.
    public var sku: String {
        get { box.fields.sku }
        set { unique().fields.sku = newValue }
    }
    /// The URL slug: the page lives at `/products/<slug>/`.
    public var slug: String {
        get { box.fields.slug }
        set { unique().fields.slug = newValue }
    }
    public var title: String {
        get { box.fields.title }
        set { unique().fields.title = newValue }
    }
    /// The niche slug the product is listed under.
    public var niche: String {
        get { box.fields.niche }
        set { unique().fields.niche = newValue }
    }
    /// One line for cards and meta descriptions.
    public var summary: String {
        get { box.fields.summary }
        set { unique().fields.summary = newValue }
    }
    /// Longer Markdown description, used when the site has no content file for the product.
    public var description: String {
        get { box.fields.description }
        set { unique().fields.description = newValue }
    }
    /// The price of the product, and of each variant that names no price of its own.
    public var price: Money {
        get { box.fields.price }
        set { unique().fields.price = newValue }
    }
    public var status: ProductStatus {
        get { box.fields.status }
        set { unique().fields.status = newValue }
    }
    public var tags: [String] {
        get { box.fields.tags }
        set { unique().fields.tags = newValue }
    }
    /// A site path (`/images/x.svg`) or an absolute URL.
    public var image: String {
        get { box.fields.image }
        set { unique().fields.image = newValue }
    }
    /// ISO date `YYYY-MM-DD` the product went on sale; orders the feed and "new" lists.
    public var released: String {
        get { box.fields.released }
        set { unique().fields.released = newValue }
    }
    public var featured: Bool {
        get { box.fields.featured }
        set { unique().fields.featured = newValue }
    }
    /// Downloadable file names (relative to the shop's files folder) every buyer receives.
    public var files: [String] {
        get { box.fields.files }
        set { unique().fields.files = newValue }
    }
    /// A scheduled sale of the product, and of each variant that names no price of its own.
    public var sale: Sale? {
        get { box.fields.sale }
        set { unique().fields.sale = newValue }
    }
    /// Volume prices per unit by quantity, lowest minimum first (may be empty).
    public var tiers: [PriceTier] {
        get { box.fields.tiers }
        set { unique().fields.tiers = newValue }
    }
    /// Set when the shopper names the price; `price` is then the suggested amount.
    public var payWhatYouWant: PayWhatYouWant? {
        get { box.fields.payWhatYouWant }
        set { unique().fields.payWhatYouWant = newValue }
    }
    /// How many units may ever be sold (all variants together), or nil for no limit.
    public var stock: Int? {
        get { box.fields.stock }
        set { unique().fields.stock = newValue }
    }
    /// How a paid unit reaches the buyer.
    public var delivery: DeliveryMethod {
        get { box.fields.delivery }
        set { unique().fields.delivery = newValue }
    }
    /// For `license-key` delivery: the pattern keys are made from when the pool is empty ("" for none).
    public var licensePattern: String {
        get { box.fields.licensePattern }
        set { unique().fields.licensePattern = newValue }
    }

    public init(
        sku: String, slug: String, title: String, niche: String, summary: String = "", description: String = "",
        price: Money, status: ProductStatus = .active, tags: [String] = [], image: String = "",
        released: String = "", featured: Bool = false, files: [String] = [], sale: Sale? = nil, tiers: [PriceTier] = [],
        payWhatYouWant: PayWhatYouWant? = nil, stock: Int? = nil, delivery: DeliveryMethod = .file, licensePattern: String = ""
    ) {
        box = ProductBox(ProductFields(sku: sku, slug: slug, title: title, niche: niche, summary: summary, description: description, price: price, status: status, tags: tags, image: image, released: released, featured: featured, files: files, sale: sale, tiers: tiers, payWhatYouWant: payWhatYouWant, stock: stock, delivery: delivery, licensePattern: licensePattern))
    }

    private var box: ProductBox

    /// The box, copied first when another product shares it.
    private mutating func unique() -> ProductBox {
        if !isKnownUniquelyReferenced(&box) { box = ProductBox(box.fields) }
        return box
    }

    public static func == (lhs: Product, rhs: Product) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }
    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }
    /// Encoded and decoded as the fields themselves: the same keys as before the box.
    public init(from decoder: any Decoder) throws { box = ProductBox(try ProductFields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }
}

/// A product's fields, as `Product` shows them.
struct ProductFields: Hashable, Sendable, Codable {
    var sku: String
    var slug: String
    var title: String
    var niche: String
    var summary: String
    var description: String
    var price: Money
    var status: ProductStatus
    var tags: [String]
    var image: String
    var released: String
    var featured: Bool
    var files: [String]
    var sale: Sale?
    var tiers: [PriceTier]
    var payWhatYouWant: PayWhatYouWant?
    var stock: Int?
    var delivery: DeliveryMethod
    var licensePattern: String
}

/// `Product`'s box. Written only through a unique reference (`Product.unique()`), so sharing it
/// across threads is safe.
final class ProductBox: @unchecked Sendable {
    @exclusivity(unchecked) var fields: ProductFields
    init(_ fields: ProductFields) { self.fields = fields }
}

/// One purchasable form of a product, e.g. the A4 edition.
public struct Variant: Hashable, Sendable, Codable {
    public var sku: String
    /// The SKU of the product this is a variant of.
    public var product: String
    /// The option shown to shoppers, e.g. "US Letter".
    public var title: String
    /// The variant's own price, or nil to use the product's.
    public var price: Money?
    /// Files that come with this variant in addition to the product's.
    public var files: [String]
    public var position: Int
    /// The variant's own scheduled sale; nil to follow the product's (when the variant has no own price).
    public var sale: Sale?
    /// How many units of this variant may ever be sold, or nil for no limit of its own.
    public var stock: Int?

    public init(
        sku: String, product: String, title: String, price: Money? = nil, files: [String] = [], position: Int = 0, sale: Sale? = nil,
        stock: Int? = nil
    ) {
        self.stock = stock
        self.sale = sale
        self.sku = sku
        self.product = product
        self.title = title
        self.price = price
        self.files = files
        self.position = position
    }
}

/// Which products a bundle holds: never a hand-kept list of everything, but rules over the catalog.
public struct BundleRule: Hashable, Sendable, Codable {
    /// Products in any of these niches (empty: any niche)...
    public var niches: [String]
    /// ...carrying any of these tags (empty: any tags)...
    public var tags: [String]
    /// ...plus these SKUs, listed explicitly.
    public var skus: [String]

    public init(niches: [String] = [], tags: [String] = [], skus: [String] = []) {
        self.niches = niches
        self.tags = tags
        self.skus = skus
    }

    /// True when the rule selects by niche or tag, not only by explicit SKUs.
    public var selectsByAttributes: Bool { !niches.isEmpty || !tags.isEmpty }
}

/// A bundle of products sold together at a discount.
public struct ProductBundle: Hashable, Sendable, Codable {
    public var slug: String
    public var sku: String
    public var title: String
    public var summary: String
    /// Percent off the sum of the contained products' prices, 0–100.
    public var discountPercent: Int
    public var rule: BundleRule
    public var image: String

    public init(slug: String, sku: String, title: String, summary: String = "", discountPercent: Int, rule: BundleRule, image: String = "") {
        self.slug = slug
        self.sku = sku
        self.title = title
        self.summary = summary
        self.discountPercent = discountPercent
        self.rule = rule
        self.image = image
    }
}

/// How often a plan bills.
public enum BillingInterval: String, Hashable, Sendable, Codable, CaseIterable {
    case month, year
}

/// A membership plan: while its subscription is active it grants every product in its niches.
public struct Plan: Hashable, Sendable, Codable {
    public var slug: String
    public var sku: String
    public var title: String
    public var summary: String
    public var price: Money
    public var interval: BillingInterval
    /// Niche slugs the plan grants; ignored when `grantsAll` is set.
    public var niches: [String]
    /// The top plan: every niche, including niches added later.
    public var grantsAll: Bool
    public var trialDays: Int
    public var features: [String]
    public var position: Int
    /// Percent off, 0–100, that active members get on products the plan does not grant (nil: none).
    public var memberDiscountPercent: Int?

    public init(
        slug: String, sku: String, title: String, summary: String = "", price: Money, interval: BillingInterval = .month,
        niches: [String] = [], grantsAll: Bool = false, trialDays: Int = 0, features: [String] = [], position: Int = 0,
        memberDiscountPercent: Int? = nil
    ) {
        self.memberDiscountPercent = memberDiscountPercent
        self.slug = slug
        self.sku = sku
        self.title = title
        self.summary = summary
        self.price = price
        self.interval = interval
        self.niches = niches
        self.grantsAll = grantsAll
        self.trialDays = trialDays
        self.features = features
        self.position = position
    }

    /// Whether an active subscription to this plan grants products of `niche`.
    public func grants(niche: String) -> Bool { grantsAll || niches.contains(niche) }
}

/// A free file given in exchange for a confirmed email address.
public struct LeadMagnet: Hashable, Sendable, Codable {
    public var slug: String
    public var title: String
    public var summary: String
    public var file: String
    /// The niche the magnet belongs to, for related products on its page (may be empty).
    public var niche: String
    public var image: String

    public init(slug: String, title: String, summary: String = "", file: String, niche: String = "", image: String = "") {
        self.slug = slug
        self.title = title
        self.summary = summary
        self.file = file
        self.niche = niche
        self.image = image
    }
}

/// A discount code.
public struct Coupon: Hashable, Sendable, Codable {
    /// The code shoppers type, stored upper-case.
    public var code: String
    /// Percent off the discountable subtotal, or nil when the coupon takes a fixed amount off.
    public var percentOff: Int?
    public var amountOff: Money?
    /// ISO dates (`YYYY-MM-DD`), inclusive; empty for no bound.
    public var startsOn: String
    public var expiresOn: String
    /// Niche slugs the discount applies to; empty means the whole cart.
    public var niches: [String]
    public var minimumSubtotal: Money?
    public var active: Bool

    public init(
        code: String, percentOff: Int? = nil, amountOff: Money? = nil, startsOn: String = "", expiresOn: String = "",
        niches: [String] = [], minimumSubtotal: Money? = nil, active: Bool = true
    ) {
        self.code = code
        self.percentOff = percentOff
        self.amountOff = amountOff
        self.startsOn = startsOn
        self.expiresOn = expiresOn
        self.niches = niches
        self.minimumSubtotal = minimumSubtotal
        self.active = active
    }
}
