import Foundation
import ShopCore

/// The dashboard over one period: its ten panels, as JSON (`/api/admin/dashboard`), CSV per panel
/// (`/api/admin/dashboard.csv?panel=ID`) and the console's page.
struct DashboardReport: Sendable {
    let period: DashboardPeriod
    let panels: [DashboardPanel]
    /// `YYYY-MM-DD` of the first and last day shown.
    let firstDay: String
    let lastDay: String

    /// The periods the console offers, in days.
    static let choices = [7, 30, 90, 365]

    /// The period `query` asks for: `from` and `to` (days, inclusive, in the shop's zone), or
    /// `days` (1–731) ending today; 30 days by default.
    /// - Throws: `CheckoutError.invalid` naming `days`, `from` or `to`.
    static func period(_ query: AdminQuery, now: ShopTime) throws -> DashboardPeriod {
        let offset = now.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now.instant)))
        let todayStart = ((now.instant + offset) / 86400) * 86400 - offset
        if let from = try query.time("from") {
            let to = try query.time("to", endOfDay: true) ?? todayStart + 86400
            guard to > from else { throw CheckoutError.invalid(field: "to", message: "to must be on or after from") }
            guard to - from <= 731 * 86400 else { throw CheckoutError.invalid(field: "from", message: "a period is at most 731 days") }
            return DashboardPeriod(from: from, to: to, offset: offset)
        }
        var days = 30
        if let text = query["days"] {
            guard let value = Int(text), (1...731).contains(value) else {
                throw CheckoutError.invalid(field: "days", message: "days \(Quoted(text)) must be a whole number from 1 to 731")
            }
            days = value
        }
        return DashboardPeriod(from: todayStart - (days - 1) * 86400, to: todayStart + 86400, offset: offset)
    }

    static func load(_ shop: Shop, _ query: AdminQuery) async throws -> DashboardReport {
        let period = try period(query, now: shop.now)
        let data = try await shop.storage.read { tx in try tx.dashboard.read(period) }
        let catalog = shop.catalog
        let fallback = catalog.productsBySKU.values.first?.price.currency.code ?? "USD"
        let days = period.days
        return DashboardReport(
            period: period, panels: Dashboard.panels(data, period: period, catalog: catalog, fallbackCurrency: fallback),
            firstDay: days.first.map(Dashboard.label) ?? "", lastDay: days.last.map(Dashboard.label) ?? "")
    }

    var json: [String: Any] {
        [
            "from": isoTime(period.from), "to": isoTime(period.to), "first_day": firstDay, "last_day": lastDay,
            "panels": panels.map { panel -> [String: Any] in
                [
                    "id": panel.id, "title": panel.title, "headline": panel.headline, "note": panel.note, "columns": panel.columns,
                    "rows": panel.rows.map { $0.map(\.raw) },
                ]
            },
        ]
    }

    /// One panel's table as CSV, or every panel's one after another (a `panel` column first).
    /// - Throws: `CheckoutError.invalid` naming `panel` when there is no such panel.
    func csv(panel id: String?) throws -> String {
        guard let id else {
            return panels.map { panel in
                panel.csv.split(separator: "\r\n").enumerated().map { ($0.offset == 0 ? "panel" : panel.id) + "," + $0.element }.joined(separator: "\r\n")
            }.joined(separator: "\r\n") + "\r\n"
        }
        guard let panel = panels.first(where: { $0.id == id }) else {
            throw CheckoutError.invalid(field: "panel", message: "no panel \(Quoted(id)); panels: \(panels.map(\.id).joined(separator: ", "))")
        }
        return panel.csv
    }
}
