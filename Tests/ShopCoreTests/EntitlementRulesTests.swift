import ShopCore
import Testing

@Suite struct EntitlementRulesTests {
    let index = CatalogIndex(smallCatalog())

    func items(_ set: Set<Entitlement>) -> Set<String> { Set(set.map(\.item)) }

    @Test func aPurchaseGrantsItsProductsForEverAndARefundedLineGrantsNothing() {
        let purchases = [
            PurchaseFact(orderID: "o1", lineID: "l1", grants: ["K-2", "K-1"], refunded: false),
            PurchaseFact(orderID: "o1", lineID: "l2", grants: ["K-3"], refunded: true),
        ]
        let result = EntitlementRules.entitlements(purchases: purchases, subscriptions: [], leads: [], catalog: index, now: 10_000_000, grace: 0)
        #expect(items(result) == ["product:K-1", "product:K-2"])
        #expect(result.allSatisfy { $0.cause == "order:o1:l1" })
    }

    @Test func theSameProductFromTwoCausesStaysWhenOneGoes() {
        let purchases = [
            PurchaseFact(orderID: "o1", lineID: "l1", grants: ["K-1"], refunded: true),
            PurchaseFact(orderID: "o2", lineID: "l1", grants: ["K-1"], refunded: false),
        ]
        #expect(items(EntitlementRules.entitlements(purchases: purchases, subscriptions: [], leads: [], catalog: index, now: 0, grace: 0)) == ["product:K-1"])
    }

    @Test func subscriptionsGrantTheirNichesWhileActiveAndThroughTheGracePeriod() {
        func grants(_ status: SubscriptionStatus, now: Int) -> Set<String> {
            items(EntitlementRules.entitlements(
                purchases: [], subscriptions: [SubscriptionFact(id: "s", plan: "kids-club", status: status, currentPeriodEnd: 1000)],
                leads: [], catalog: index, now: now, grace: 100))
        }
        let kids: Set<String> = ["product:K-1", "product:K-2", "product:K-3"]
        #expect(grants(.active, now: 5000) == kids)
        #expect(grants(.trialing, now: 5000) == kids)
        #expect(grants(.pastDue, now: 1100) == kids, "at the end of the grace period")
        #expect(grants(.pastDue, now: 1101).isEmpty)
        for lapsed in [SubscriptionStatus.canceled, .unpaid, .incomplete, .incompleteExpired, .paused] {
            #expect(grants(lapsed, now: 0).isEmpty, "\(lapsed)")
        }
    }

    @Test func aConfirmedLeadGrantsItsFreeFile() {
        let leads = [LeadFact(id: "a", magnet: "free-cards", confirmed: true), LeadFact(id: "b", magnet: "other", confirmed: false)]
        let result = EntitlementRules.entitlements(purchases: [], subscriptions: [], leads: leads, catalog: index, now: 0, grace: 0)
        #expect(result == [Entitlement(item: "magnet:free-cards", cause: "lead:a")])
        #expect(EntitlementRules.files(of: "magnet:free-cards", catalog: index) == ["free/cards.pdf"])
    }

    @Test func aProductDeliversItsOwnAndEveryVariantsFiles() {
        var catalog = smallCatalog()
        catalog.products[0].files = ["k1-guide.pdf"]
        catalog.variants[0].files = ["k1-letter.pdf"]
        catalog.variants[1].files = ["k1-a4.pdf", "k1-guide.pdf"]
        #expect(EntitlementRules.files(of: "product:K-1", catalog: CatalogIndex(catalog)) == ["k1-guide.pdf", "k1-letter.pdf", "k1-a4.pdf"], "variants in their display order")
    }
}
