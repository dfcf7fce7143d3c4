/// One record of catalog text before it is given meaning.
struct RawRecord {
    struct Field {
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
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            let indented = trimmed.startIndex != line.startIndex
            if !indented {
                let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
                let kind = String(words[0])
                if kind == "shop" && words.count == 1 {
                    records.append(RawRecord(file: file, kind: kind, key: "", line: lineNumber))
                    continue
                }
                guard words.count == 2 else {
                    throw CatalogTextError(
                        file: file, line: lineNumber, message: "expected a record header `KIND KEY`, found '\(trimmed)'",
                        hint: "fields are indented by two spaces; kinds: \(CatalogText.kinds.joined(separator: ", "))")
                }
                records.append(RawRecord(file: file, kind: kind, key: String(words[1]), line: lineNumber))
                continue
            }
            guard !records.isEmpty else {
                throw CatalogTextError(file: file, line: lineNumber, message: "indented line before any record header")
            }
            if trimmed.first == "|" {
                guard !records[records.count - 1].fields.isEmpty else {
                    throw CatalogTextError(file: file, line: lineNumber, message: "`|` continuation with no field before it")
                }
                var rest = trimmed.dropFirst()
                if rest.first == " " { rest = rest.dropFirst() }
                records[records.count - 1].fields[records[records.count - 1].fields.count - 1].value += "\n" + rest
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw CatalogTextError(
                    file: file, line: lineNumber, message: "expected `name: value`, found '\(trimmed)'",
                    hint: "continue a long value on the next line with `| `")
            }
            let name = String(trimmed[..<colon]).trimmingSpaces
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces
            records[records.count - 1].fields.append(Field(name: name, value: value, line: lineNumber))
        }
        return records
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
        return try money(name, currency: currency)!
    }

    func requiredPercent(_ name: String) throws(CatalogTextError) -> Int {
        _ = try required(name)
        return try percent(name)!
    }

    func list(_ name: String) -> [String] {
        optional(name).split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    func repeated(_ name: String) -> [String] { record.fields.filter { $0.name == name }.map(\.value) }

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
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        let day = Int(bytes[8] - 48) * 10 + Int(bytes[9] - 48)
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
