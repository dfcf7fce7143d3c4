/// One record of catalog text before it is given meaning.
struct RawRecord: Sendable {
    struct Field: Sendable {
        var name: String
        var value: String
        let line: Int
    }

    let file: String
    let kind: String
    let key: String
    let line: Int
    var fields: [Field] = []

    func error(_ message: String, hint: String? = nil) -> CatalogTextError {
        CatalogTextError(file: file, line: line, message: "\(kind) \(key): \(message)", hint: hint)
    }

    /// Splits text into records, checking only layout: indentation, `name: value`, continuations.
    static func split(_ text: String, file: String) throws(CatalogTextError) -> [RawRecord] {
        var records: [RawRecord] = []
        var lineNumber = 0
        let bytes = Array(text.utf8)
        do {
            var lineStart = 0
            while lineStart < bytes.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
                let next = lineEnd + 1
                if lineEnd > lineStart, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
                defer { lineStart = next }
                var start = lineStart
                while start < lineEnd, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
                if start == lineEnd || bytes[start] == 35 { continue }
                func string(_ from: Int, _ to: Int) -> String {
                    var from = from, to = to
                    while from < to, bytes[from] == 32 || bytes[from] == 9 { from += 1 }
                    while to > from, bytes[to - 1] == 32 || bytes[to - 1] == 9 { to -= 1 }
                    return String(decoding: bytes[from..<to], as: UTF8.self)
                }
                if start == lineStart {
                    var space = start
                    while space < lineEnd, bytes[space] != 32 { space += 1 }
                    let kind = string(start, space)
                    let key = string(space, lineEnd)
                    if kind == "shop" && key.isEmpty {
                        records.append(RawRecord(file: file, kind: kind, key: "", line: lineNumber))
                        continue
                    }
                    guard !key.isEmpty, !key.utf8.contains(32) else {
                        throw CatalogTextError(
                            file: file, line: lineNumber, message: "expected a record header `KIND KEY`, found '\(string(start, lineEnd))'",
                            hint: "fields are indented by two spaces; kinds: \(CatalogText.kinds.joined(separator: ", "))")
                    }
                    records.append(RawRecord(file: file, kind: kind, key: key, line: lineNumber))
                    continue
                }
                guard !records.isEmpty else {
                    throw CatalogTextError(file: file, line: lineNumber, message: "indented line before any record header")
                }
                if bytes[start] == 124 {
                    guard !records[records.count - 1].fields.isEmpty else {
                        throw CatalogTextError(file: file, line: lineNumber, message: "`|` continuation with no field before it")
                    }
                    var restStart = start + 1
                    if restStart < lineEnd, bytes[restStart] == 32 { restStart += 1 }
                    let rest = String(decoding: bytes[restStart..<lineEnd], as: UTF8.self)
                    records[records.count - 1].fields[records[records.count - 1].fields.count - 1].value += "\n" + rest
                    continue
                }
                var colon = start
                while colon < lineEnd, bytes[colon] != 58 { colon += 1 }
                guard colon < lineEnd else {
                    throw CatalogTextError(
                        file: file, line: lineNumber, message: "expected `name: value`, found '\(string(start, lineEnd))'",
                        hint: "continue a long value on the next line with `| `")
                }
                records[records.count - 1].fields.append(Field(name: string(start, colon), value: string(colon + 1, lineEnd), line: lineNumber))
            }
            return records
        }
    }
}

/// Reads a record's fields by name, tracking which were used so unknown names are reported.
struct FieldReader {
    let record: RawRecord
    let known: Set<String>

    init(record: RawRecord, known: Set<String>) {
        self.record = record
        self.known = known
    }

    private func field(_ name: String) -> RawRecord.Field? { record.fields.last { $0.name == name } }

    func error(_ name: String, _ message: String, hint: String? = nil) -> CatalogTextError {
        let line = field(name)?.line ?? record.line
        return CatalogTextError(file: record.file, line: line, message: "\(record.kind) \(record.key): field '\(name)': \(message)", hint: hint)
    }

    func optional(_ name: String) -> String { field(name)?.value ?? "" }

    func required(_ name: String) throws(CatalogTextError) -> String {
        let value = optional(name)
        if value.isEmpty { throw error(name, "is missing", hint: "add `  \(name): …` under `\(record.kind) \(record.key)`") }
        return value
    }

    func requiredMoney(_ name: String, currency: Currency) throws(CatalogTextError) -> Money {
        _ = try required(name)
        guard let money = try money(name, currency: currency) else { throw error(name, "is missing") }
        return money
    }

    func requiredPercent(_ name: String) throws(CatalogTextError) -> Int {
        _ = try required(name)
        guard let percent = try percent(name) else { throw error(name, "is missing") }
        return percent
    }

    func list(_ name: String) -> [String] {
        optional(name).split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// Every value of a repeated field, blank ones left out (a dump writes no blank value, so a
    /// blank one would not survive a round trip; found by `ParserFuzzTests`).
    func repeated(_ name: String) -> [String] { record.fields.filter { $0.name == name && !$0.value.isEmpty }.map(\.value) }

    func integer(_ name: String) throws(CatalogTextError) -> Int? {
        let text = optional(name)
        if text.isEmpty { return nil }
        guard let value = Int(text) else { throw error(name, "'\(text)' is not a whole number") }
        return value
    }

    func percent(_ name: String) throws(CatalogTextError) -> Int? {
        var text = optional(name)
        if text.isEmpty { return nil }
        if text.hasSuffix("%") { text.removeLast() }
        guard let value = Int(text.trimmingSpaces), (0...100).contains(value) else {
            throw error(name, "'\(optional(name))' is not a percentage from 0 to 100", hint: "e.g. `30%`")
        }
        return value
    }

    func money(_ name: String, currency: Currency) throws(CatalogTextError) -> Money? {
        let text = optional(name)
        if text.isEmpty { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2 else {
            throw error(name, "'\(text)' is not an amount and a currency", hint: "write it as `4.99 \(currency.code)`")
        }
        guard let other = Currency(code: String(parts[1])) else {
            throw error(name, "'\(parts[1])' is not an ISO 4217 currency code", hint: "the shop's currency is \(currency.code)")
        }
        guard other == currency else {
            throw error(name, "price is in \(other.code) but the shop sells in \(currency.code)", hint: "one currency per shop")
        }
        guard let money = Money(decimal: parts[0], currency: currency) else {
            throw error(
                name, "'\(parts[0])' is not a valid \(currency.code) amount",
                hint: "digits with at most \(currency.exponent) decimals, e.g. `4.99 \(currency.code)`")
        }
        guard money.amount >= 0 else { throw error(name, "'\(text)' is negative", hint: "prices are zero or more") }
        return money
    }

    func date(_ name: String) throws(CatalogTextError) -> String {
        let text = optional(name)
        if text.isEmpty { return "" }
        guard ISODate.isValid(text) else { throw error(name, "'\(text)' is not a date", hint: "write dates as YYYY-MM-DD") }
        return text
    }

    /// A wall-clock time in the shop's zone, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; empty when absent.
    func localTime(_ name: String) throws(CatalogTextError) -> String {
        let text = optional(name)
        if text.isEmpty { return "" }
        guard ShopTime.isLocalTime(text) else {
            throw error(name, "'\(text)' is not a date or date and time", hint: "write `2026-11-27` or `2026-11-27 09:00` (the shop's time zone)")
        }
        return text.replacingOccurrences(of: "T", with: " ")
    }

    /// `sale-price` with its optional `sale-starts` and `sale-ends`; nil without a sale price.
    func sale(currency: Currency) throws(CatalogTextError) -> Sale? {
        let starts = try localTime("sale-starts"), ends = try localTime("sale-ends")
        guard let price = try money("sale-price", currency: currency) else {
            if !starts.isEmpty || !ends.isEmpty { throw error(starts.isEmpty ? "sale-ends" : "sale-starts", "has no `sale-price` to schedule") }
            return nil
        }
        if !starts.isEmpty && !ends.isEmpty {
            let time = ShopTime(instant: 0)
            if let from = time.instant(ofLocal: starts), let to = time.instant(ofLocal: ends, endOfDay: true), to <= from {
                throw error("sale-ends", "'\(ends)' is not after sale-starts '\(starts)'")
            }
        }
        return Sale(price: price, starts: starts, ends: ends)
    }

    /// `stock: N`, a whole number of units from 0; nil when absent.
    func stock() throws(CatalogTextError) -> Int? {
        guard let stock = try integer("stock") else { return nil }
        guard stock >= 0 else { throw error("stock", "'\(stock)' is negative", hint: "the number of units that may be sold, 0 for sold out") }
        return stock
    }

    /// `tiers: 5+ 15.00 USD, 20+ 12.00 USD`: from 5 units each costs 15.00, from 20 each 12.00.
    func tiers(currency: Currency) throws(CatalogTextError) -> [PriceTier] {
        var tiers: [PriceTier] = []
        for item in list("tiers") {
            let hint = "write tiers as `5+ 15.00 \(currency.code), 20+ 12.00 \(currency.code)`"
            let parts = item.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].hasSuffix("+"), let minimum = Int(parts[0].dropLast()), minimum >= 2 else {
                throw error("tiers", "'\(item)' is not a tier (a quantity of 2 or more, `+`, and a unit price)", hint: hint)
            }
            guard let price = Money(Substring(parts[1])), price.currency == currency, price.amount >= 0 else {
                throw error("tiers", "'\(parts[1])' in '\(item)' is not a price", hint: hint)
            }
            if let last = tiers.last {
                guard minimum > last.minimumQuantity else { throw error("tiers", "tier '\(item)' must start above \(last.minimumQuantity)", hint: hint) }
                guard price < last.unitPrice else { throw error("tiers", "tier '\(item)' must cost less per unit than the tier before it", hint: hint) }
            }
            tiers.append(PriceTier(minimumQuantity: minimum, unitPrice: price))
        }
        return tiers
    }

    func flag(_ name: String) throws(CatalogTextError) -> Bool {
        switch optional(name) {
        case "", "no", "false": return false
        case "yes", "true": return true
        case let other: throw error(name, "'\(other)' is not yes or no")
        }
    }

    func finish() throws(CatalogTextError) {
        for field in record.fields where !known.contains(field.name) {
            throw CatalogTextError(
                file: record.file, line: field.line,
                message: "\(record.kind) \(record.key): unknown field '\(field.name)'",
                hint: "known fields: \(known.sorted().joined(separator: ", "))")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}

/// ISO calendar dates as `YYYY-MM-DD` strings, which sort in date order.
public enum ISODate {
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        let digits = bytes.enumerated().filter { $0.offset != 4 && $0.offset != 7 }.map(\.element)
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let year = bytes[0..<4].reduce(0) { $0 * 10 + Int($1 - 48) }
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        let day = Int(bytes[8] - 48) * 10 + Int(bytes[9] - 48)
        guard (1...12).contains(month) else { return false }
        // The days of the month in the Gregorian calendar: 2027-02-30 is no date.
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
