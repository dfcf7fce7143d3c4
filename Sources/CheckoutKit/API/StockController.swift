import Foundation
import Hummingbird
import ShopCore

/// `GET /api/stock`: what is left of every SKU with limited stock, for the storefront script to
/// mark sold-out items and "only N left" live (the pages say what the catalog said at build time).
/// One query; SKUs without a limit are not listed (they never run out).
struct StockController: Sendable {
    let shop: Shop

    struct Level: JSONBody {
        let sku: String
        let stock: Int
        let available: Int

        func write(to json: inout JSONOutput) {
            json.object {
                $0.member("available", available)
                $0.member("sku", sku)
                $0.member("stock", stock)
            }
        }
    }

    struct Levels: JSONBody {
        let items: [Level]

        func write(to json: inout JSONOutput) {
            json.object {
                $0.key("items")
                $0.array(items) { json, item in item.write(to: &json) }
            }
        }
    }

    @Sendable func show(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let limits = StockRules.limits(in: shop.catalog)
        let now = shop.clock.seconds
        let taken = limits.isEmpty ? [:] : try await shop.storage.read { tx in try tx.stock.takenBySKU(now: now) }
        let items = limits.sorted { $0.key < $1.key }.map { sku, stock in
            Level(sku: sku, stock: stock, available: max(0, stock - (taken[sku] ?? 0)))
        }
        var response = jsonResponse(Levels(items: items))
        // Seconds-old figures are fine for a badge; the checkout counts exactly.
        response.headers[.cacheControl] = "max-age=5"
        return response
    }

    /// What `lines` draw on limited stock (`StockRules.demand`), read from the catalog only.
    private func demand(_ lines: [CartLineRequest], index: CatalogIndex) -> [String: Int] {
        StockRules.demand(of: CartPricing.price(lines, coupon: nil, index: index, at: shop.now).lines, index: index)
    }

    /// Whether a unit of `sku` draws on limited stock; reads no database.
    func isLimited(_ sku: String) -> Bool {
        !demand([CartLineRequest(id: "", sku: sku, quantity: 1)], index: shop.catalog).isEmpty
    }

    /// Refuses cart lines asking for more of a limited SKU than is left now (a cart is not a hold:
    /// the checkout counts again, exactly, when the order is placed).
    func check(_ lines: [CartLineRequest]) async throws {
        let index = shop.catalog
        let demand = demand(lines, index: index)
        guard !demand.isEmpty else { return }
        let limits = StockRules.limits(in: index)
        let now = shop.clock.seconds
        let taken = try await shop.storage.read { tx in
            try demand.keys.reduce(into: [String: Int]()) { taken, sku in taken[sku] = try tx.stock.taken(sku, now: now) }
        }
        for (sku, quantity) in demand.sorted(by: { $0.key < $1.key }) {
            guard let limit = limits[sku] else { continue }
            let left = max(0, limit - (taken[sku] ?? 0))
            if quantity > left { throw CheckoutError.outOfStock(sku: sku, available: left) }
        }
    }
}
