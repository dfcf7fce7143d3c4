/// Stripe's subscription statuses.
public enum SubscriptionStatus: String, Sendable, Codable, CaseIterable {
    case trialing, active, incomplete, unpaid, canceled, paused
    case pastDue = "past_due"
    case incompleteExpired = "incomplete_expired"
}

/// A paid order line, with what it grants.
public struct PurchaseFact: Hashable, Sendable {
    public let orderID: String
    public let lineID: String
    /// Product SKUs, frozen at purchase (a bundle: the products it held then).
    public let grants: [String]
    public let refunded: Bool

    public init(orderID: String, lineID: String, grants: [String], refunded: Bool) {
        self.orderID = orderID
        self.lineID = lineID
        self.grants = grants
        self.refunded = refunded
    }
}

/// A subscription as last reported by the payment provider.
public struct SubscriptionFact: Hashable, Sendable {
    public let id: String
    public let plan: String
    public let status: SubscriptionStatus
    /// Unix time the paid period ends.
    public let currentPeriodEnd: Int

    public init(id: String, plan: String, status: SubscriptionStatus, currentPeriodEnd: Int) {
        self.id = id
        self.plan = plan
        self.status = status
        self.currentPeriodEnd = currentPeriodEnd
    }
}

/// A lead for a free file, and whether its address was confirmed.
public struct LeadFact: Hashable, Sendable {
    public let id: String
    public let magnet: String
    public let confirmed: Bool

    public init(id: String, magnet: String, confirmed: Bool) {
        self.id = id
        self.magnet = magnet
        self.confirmed = confirmed
    }
}

/// Something a customer may download, and why.
public struct Entitlement: Hashable, Sendable, Comparable {
    /// `product:SKU` or `magnet:slug`.
    public let item: String
    /// `order:ORDER:LINE`, `subscription:ID` or `lead:ID`.
    public let cause: String

    public init(item: String, cause: String) {
        self.item = item
        self.cause = cause
    }

    public static func < (lhs: Entitlement, rhs: Entitlement) -> Bool { (lhs.item, lhs.cause) < (rhs.item, rhs.cause) }

    /// The product SKU, for a product entitlement.
    public var productSKU: String? { item.hasPrefix("product:") ? String(item.dropFirst(8)) : nil }
    /// The lead magnet slug, for a free file.
    public var magnetSlug: String? { item.hasPrefix("magnet:") ? String(item.dropFirst(7)) : nil }
}

/// What a customer may download, as one pure function of what is stored about them.
///
/// - A paid line grants each product it froze, for ever, unless that line was refunded.
/// - A subscription grants every active product in its plan's niches (products added later
///   included) while trialing or active, and while past due until the paid period end plus `grace`.
/// - A confirmed lead grants its free file.
public enum EntitlementRules {
    public static func entitlements(
        purchases: [PurchaseFact], subscriptions: [SubscriptionFact], leads: [LeadFact], catalog: CatalogIndex, now: Int,
        grace: Int
    ) -> Set<Entitlement> {
        var result = Set<Entitlement>()
        for purchase in purchases where !purchase.refunded {
            for sku in purchase.grants {
                result.insert(Entitlement(item: "product:" + sku, cause: "order:\(purchase.orderID):\(purchase.lineID)"))
            }
        }
        for subscription in subscriptions where grantsAccess(subscription, now: now, grace: grace) {
            guard let plan = catalog.plansBySlug[subscription.plan] else { continue }
            for product in catalog.products(grantedBy: plan) {
                result.insert(Entitlement(item: "product:" + product.sku, cause: "subscription:" + subscription.id))
            }
        }
        for lead in leads where lead.confirmed {
            result.insert(Entitlement(item: "magnet:" + lead.magnet, cause: "lead:" + lead.id))
        }
        return result
    }

    /// Whether a subscription gives access now.
    public static func grantsAccess(_ subscription: SubscriptionFact, now: Int, grace: Int) -> Bool {
        switch subscription.status {
        case .trialing, .active: return true
        case .pastDue: return now <= subscription.currentPeriodEnd.addingSaturated(grace)
        case .incomplete, .incompleteExpired, .unpaid, .canceled, .paused: return false
        }
    }

    /// The files an item delivers: a product's own files and every variant's (all formats), or a magnet's file.
    public static func files(of item: String, catalog: CatalogIndex) -> [String] {
        if item.hasPrefix("product:"), let product = catalog.productsBySKU[String(item.dropFirst(8))] {
            var files = product.files
            for variant in catalog.variants(of: product) {
                for file in variant.files where !files.contains(file) { files.append(file) }
            }
            return files
        }
        if item.hasPrefix("magnet:"), let magnet = catalog.leadMagnetsBySlug[String(item.dropFirst(7))] {
            return [magnet.file]
        }
        return []
    }
}
