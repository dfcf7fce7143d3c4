import Foundation
import ShopCore

/// One cell of a dashboard table: what people read (`$12.00`) and what a CSV or JSON client gets
/// (`12.00`, or a count).
struct DashboardCell: Sendable, Equatable {
    let display: String
    let raw: String

    static func count(_ value: Int) -> DashboardCell { DashboardCell(display: value.formatted(), raw: String(value)) }
    static func text(_ value: String) -> DashboardCell { DashboardCell(display: value, raw: value) }
}

/// A panel: a headline figure, a chart (inline SVG) and the table of the numbers behind it.
struct DashboardPanel: Sendable {
    let id: String
    let title: String
    let headline: String
    let note: String
    let chart: String
    let columns: [String]
    let rows: [[DashboardCell]]

    /// The table as CSV (RFC 4180): a header line, then one line per row, raw values.
    var csv: String {
        ([columns] + rows.map { $0.map(\.raw) }).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ value: String) -> String {
        // A leading =, +, - or @ would be a formula in a spreadsheet (OWASP's CSV injection advice).
        var value = value
        if let first = value.first, "=+-@".contains(first), Int64(value) == nil, Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The operator's dashboard: ten panels over a period, worked out from `DashboardData` by pure
/// functions (the queries are `DashboardQueries`). Money is shown in the period's main currency (the
/// one with the most revenue); other currencies are named in the revenue panel's note.
enum Dashboard {
    static func panels(_ data: DashboardData, period: DashboardPeriod, catalog: CatalogIndex, fallbackCurrency: String) -> [DashboardPanel] {
        let days = period.days
        let labels = days.map(label)
        let revenueByCurrency = Dictionary(grouping: data.paidByDay, by: \.currency).mapValues { $0.reduce(0) { $0 + $1.amount } }
        let currency = revenueByCurrency.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? fallbackCurrency
        let money = { (amount: Int64) in MoneyFormat.format(amount, currency: currency) }
        let decimal = { (amount: Int64) in Currency(code: currency).map { Money(amount: amount, currency: $0).decimalString } ?? String(amount) }
        let moneyCell = { (amount: Int64) in DashboardCell(display: money(amount), raw: decimal(amount)) }
        let paid = Dictionary(data.paidByDay.filter { $0.currency == currency }.map { ($0.day, ($0.orders, $0.amount)) }, uniquingKeysWith: { a, _ in a })
        let paidCount = Dictionary(grouping: data.paidByDay, by: \.day).mapValues { $0.reduce(0) { $0 + $1.orders } }
        let created = Dictionary(data.createdByDay.map { ($0.day, $0.orders) }, uniquingKeysWith: { a, _ in a })
        let revenue = days.map { paid[$0]?.1 ?? 0 }
        let totalRevenue = revenue.reduce(0, +)
        let totalPaid = paidCount.values.reduce(0, +)
        let paidInCurrency = days.reduce(0) { $0 + (paid[$1]?.0 ?? 0) }
        let others = revenueByCurrency.filter { $0.key != currency }.sorted { $0.key < $1.key }.map { MoneyFormat.format($0.value, currency: $0.key) }
        var panels: [DashboardPanel] = []

        panels.append(DashboardPanel(
            id: "revenue", title: "Revenue per day", headline: money(totalRevenue),
            note: others.isEmpty ? "Paid orders, before refunds." : "Paid orders, before refunds. Also: \(others.joined(separator: ", ")).",
            chart: SVGChart.bars(revenue, labels: labels, title: "Revenue per day", format: money),
            columns: ["day", "paid_orders", "revenue"],
            rows: days.map { [.text(label($0)), .count(paid[$0]?.0 ?? 0), moneyCell(paid[$0]?.1 ?? 0)] }))

        let createdSeries = days.map { Int64(created[$0] ?? 0) }
        let paidSeries = days.map { Int64(paidCount[$0] ?? 0) }
        panels.append(DashboardPanel(
            id: "orders", title: "Orders and paid orders", headline: "\(totalPaid.formatted()) paid of \(createdSeries.reduce(0, +).formatted())",
            note: "Orders placed (checkouts started) and orders paid, per day; the inner bar is paid.",
            chart: SVGChart.bars(createdSeries, second: paidSeries, labels: labels, title: "Orders and paid orders per day", format: { $0.formatted() }),
            columns: ["day", "orders", "paid_orders"],
            rows: days.map { [.text(label($0)), .count(created[$0] ?? 0), .count(paidCount[$0] ?? 0)] }))

        let checkouts = created.values.reduce(0, +)
        panels.append(DashboardPanel(
            id: "conversion", title: "Conversion", headline: percent(totalPaid, of: data.carts) + " of carts paid",
            note: "Carts created, checkouts started and orders paid in the period.",
            chart: SVGChart.rows([("Carts", Int64(data.carts)), ("Checkouts", Int64(checkouts)), ("Paid", Int64(totalPaid))],
                                 title: "Carts, checkouts, paid", format: { $0.formatted() }),
            columns: ["stage", "count", "share_of_carts"],
            rows: [("carts", data.carts), ("checkouts", checkouts), ("paid", totalPaid)].map {
                [.text($0.0), .count($0.1), .text(percent($0.1, of: data.carts))]
            }))

        let averages = days.map { day -> Int64 in
            guard let (count, amount) = paid[day], count > 0 else { return 0 }
            return amount / Int64(count)
        }
        panels.append(DashboardPanel(
            id: "average_order_value", title: "Average order value",
            headline: money(paidInCurrency > 0 ? totalRevenue / Int64(paidInCurrency) : 0), note: "Revenue divided by paid orders, per day.",
            chart: SVGChart.bars(averages, labels: labels, title: "Average order value per day", format: money),
            columns: ["day", "average_order_value"], rows: zip(days, averages).map { [.text(label($0.0)), moneyCell($0.1)] }))

        panels.append(membersPanel(data, catalog: catalog, currency: currency))

        let members = data.activeSubscriptions.filter { $0.status != "past_due" }.reduce(0) { $0 + $1.count }
        let pastDue = data.activeSubscriptions.filter { $0.status == "past_due" }.reduce(0) { $0 + $1.count }
        panels.append(DashboardPanel(
            id: "churn", title: "Churn and past-due members",
            headline: percent(data.canceledInPeriod, of: members + pastDue + data.canceledInPeriod) + " churned",
            note: "Memberships canceled in the period, against those active now plus those canceled; past due now.",
            chart: SVGChart.rows([("Canceled", Int64(data.canceledInPeriod)), ("Past due", Int64(pastDue)), ("Active", Int64(members))],
                                 title: "Canceled, past due and active members", format: { $0.formatted() }),
            columns: ["measure", "count"],
            rows: [("canceled_in_period", data.canceledInPeriod), ("past_due_now", pastDue), ("active_now", members)].map { [.text($0.0), .count($0.1)] }))

        let leads = Dictionary(data.leadsByDay.map { ($0.day, ($0.created, $0.confirmed)) }, uniquingKeysWith: { a, _ in a })
        let newLeads = data.leadsByDay.reduce(0) { $0 + $1.created }
        let confirmed = data.leadsByDay.reduce(0) { $0 + $1.confirmed }
        panels.append(DashboardPanel(
            id: "leads", title: "New leads", headline: "\(newLeads.formatted()), \(percent(confirmed, of: newLeads)) confirmed",
            note: "Addresses that asked for a free file, and how many confirmed; the inner bar is confirmed.",
            chart: SVGChart.bars(days.map { Int64(leads[$0]?.0 ?? 0) }, second: days.map { Int64(leads[$0]?.1 ?? 0) }, labels: labels,
                                 title: "New and confirmed leads per day", format: { $0.formatted() }),
            columns: ["day", "new_leads", "confirmed"],
            rows: days.map { [.text(label($0)), .count(leads[$0]?.0 ?? 0), .count(leads[$0]?.1 ?? 0)] }))

        let top = data.topProducts.filter { $0.currency == currency }
        panels.append(DashboardPanel(
            id: "top_products", title: "Top products", headline: top.first.map { catalog.productsBySKU[$0.sku]?.title ?? $0.title } ?? "None yet",
            note: "By revenue from paid orders in the period, before refunds.",
            chart: SVGChart.rows(top.map { (catalog.productsBySKU[$0.sku]?.title ?? $0.title, $0.amount) }, title: "Top products by revenue", format: money),
            columns: ["sku", "title", "units", "revenue"],
            rows: top.map { [.text($0.sku), .text(catalog.productsBySKU[$0.sku]?.title ?? $0.title), .count(Int($0.quantity)), moneyCell($0.amount)] }))

        let refundRows = data.refundsByDay.filter { $0.currency == currency }
        let refunds = Dictionary(refundRows.map { ($0.day, ($0.count, $0.amount)) }, uniquingKeysWith: { a, _ in a })
        let refunded = refundRows.reduce(0) { $0 + $1.amount }
        panels.append(DashboardPanel(
            id: "refunds", title: "Refunds", headline: money(refunded),
            note: "Refunded in the period: \(percent(Int(refunded), of: Int(totalRevenue))) of the period's revenue.",
            chart: SVGChart.bars(days.map { refunds[$0]?.1 ?? 0 }, labels: labels, title: "Refunds per day", format: money),
            columns: ["day", "refunds", "amount"],
            rows: days.map { [.text(label($0)), .count(refunds[$0]?.0 ?? 0), moneyCell(refunds[$0]?.1 ?? 0)] }))

        let deliveries = Dictionary(data.deliveriesByStatus.map { ($0.status, $0.count) }, uniquingKeysWith: { a, _ in a })
        let failed = deliveries["failed"] ?? 0
        let measures: [(String, Int)] = [
            ("downloads", Int(data.downloads)), ("files_downloaded", data.downloadedFiles), ("deliveries_delivered", deliveries["delivered"] ?? 0),
            ("deliveries_pending", deliveries["pending"] ?? 0), ("deliveries_failed", failed), ("deliveries_revoked", deliveries["revoked"] ?? 0),
        ]
        panels.append(DashboardPanel(
            id: "downloads_deliveries", title: "Downloads and delivery failures",
            headline: "\(Int(data.downloads).formatted()) downloads, \(failed.formatted()) failed",
            note: "Downloads of files last fetched in the period; deliveries by their status at the end of the period.",
            chart: SVGChart.rows(measures.map { ($0.0.replacingOccurrences(of: "_", with: " "), Int64($0.1)) }, title: "Downloads and deliveries",
                                 format: { $0.formatted() }),
            columns: ["measure", "count"], rows: measures.map { [.text($0.0), .count($0.1)] }))
        return panels
    }

    /// MRR: each active or past-due membership's plan price per month (a yearly price ÷ 12).
    private static func membersPanel(_ data: DashboardData, catalog: CatalogIndex, currency: String) -> DashboardPanel {
        let money = { (amount: Int64) in MoneyFormat.format(amount, currency: currency) }
        var byPlan: [String: (active: Int, trialing: Int, pastDue: Int)] = [:]
        for row in data.activeSubscriptions {
            var counts = byPlan[row.plan] ?? (0, 0, 0)
            switch row.status {
            case "active": counts.active += row.count
            case "trialing": counts.trialing += row.count
            default: counts.pastDue += row.count
            }
            byPlan[row.plan] = counts
        }
        let plans = byPlan.keys.sorted()
        let mrr = { (plan: String) -> Int64 in
            guard let found = catalog.plansBySlug[plan], let counts = byPlan[plan] else { return 0 }
            let monthly = found.interval == .year ? found.price.amount / 12 : found.price.amount
            return monthly * Int64(counts.active + counts.pastDue)
        }
        // Each plan's MRR is in its own currency; the headline adds up the plans in the main one.
        let planCurrency = { (plan: String) in catalog.plansBySlug[plan]?.price.currency.code ?? currency }
        let total = plans.filter { planCurrency($0) == currency }.reduce(0) { $0 + mrr($1) }
        return DashboardPanel(
            id: "members", title: "MRR and active members", headline: money(total) + " MRR",
            note: "Monthly recurring revenue of active and past-due memberships now (trials count once they pay).",
            chart: SVGChart.rows(plans.map { (catalog.plansBySlug[$0]?.title ?? $0, Int64((byPlan[$0]?.active ?? 0) + (byPlan[$0]?.trialing ?? 0))) },
                                 title: "Active members by plan", format: { $0.formatted() }),
            columns: ["plan", "active", "trialing", "past_due", "mrr"],
            rows: plans.map { plan in
                let counts = byPlan[plan] ?? (0, 0, 0)
                return [.text(plan), .count(counts.active), .count(counts.trialing), .count(counts.pastDue),
                        DashboardCell(
                            display: MoneyFormat.format(mrr(plan), currency: planCurrency(plan)),
                            raw: Currency(code: planCurrency(plan)).map { Money(amount: mrr(plan), currency: $0).decimalString } ?? "")]
            })
    }

    /// `2026-11-03` for a day number.
    static func label(_ day: Int) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(day) * 86400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
