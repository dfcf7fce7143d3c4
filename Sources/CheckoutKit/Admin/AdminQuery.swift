import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore

/// What admin list requests share: `limit` (1–200, default 50) and `cursor` (the last id of the
/// page before), read from the query; dates as `YYYY-MM-DD` (midnight in the shop's time zone) or
/// seconds since 1970. Lists answer `{"data": […], "has_more", "next_cursor"}`, as Stripe's do.
struct AdminQuery {
    let parameters: [String: String]
    let timeZone: TimeZone

    init(_ request: Request, timeZone: TimeZone) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where !value.isEmpty {
            // Hummingbird has percent-decoded the value already.
            parameters[String(name)] = String(value)
        }
        self.parameters = parameters
        self.timeZone = timeZone
    }

    subscript(_ name: String) -> String? {
        parameters[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `limit`, one more than which is read to know whether there is another page.
    func limit() throws -> Int {
        guard let text = self["limit"] else { return 50 }
        guard let value = Int(text), (1...200).contains(value) else {
            throw CheckoutError.invalid(field: "limit", message: "limit \(Quoted(text)) must be a whole number from 1 to 200")
        }
        return value
    }

    /// The start of the day `field` names in the shop's zone (`YYYY-MM-DD`), or its seconds.
    /// - Throws: `CheckoutError.invalid` naming `field`.
    func time(_ field: String, endOfDay: Bool = false) throws -> Int? {
        guard let text = self[field] else { return nil }
        if let seconds = Int(text) { return seconds }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard parts.count == 3, text.count == 10,
              let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: date) == parts[2], calendar.component(.month, from: date) == parts[1]
        else { throw CheckoutError.invalid(field: field, message: "\(field) \(Quoted(text)) is not a date (YYYY-MM-DD) or seconds since 1970") }
        let start = Int(date.timeIntervalSince1970)
        return endOfDay ? Int(calendar.date(byAdding: .day, value: 1, to: date)?.timeIntervalSince1970 ?? Double(start + 86400)) : start
    }

    /// One page of `rows` (read with `limit + 1`): the JSON list object.
    static func page(_ rows: [[String: Any]], limit: Int, id: (([String: Any]) -> String?) = { $0["id"] as? String }) -> [String: Any] {
        let shown = Array(rows.prefix(limit))
        var page: [String: Any] = ["object": "list", "data": shown, "has_more": rows.count > limit]
        if rows.count > limit, let last = shown.last, let cursor = id(last) { page["next_cursor"] = cursor }
        return page
    }
}

/// A JSON response of a `JSONSerialization` object (sorted keys), never cached.
func adminJSON(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}

/// `email` as one path segment (`/admin/customers/{segment}`): every character but letters, digits
/// and `@._-` percent-encoded, so `a%41b@…`, `a/b@…` or `a?b@…` name themselves, not another address.
func pathSegment(_ email: String) -> String {
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-")
    return email.addingPercentEncoding(withAllowedCharacters: allowed) ?? email
}

/// `{"amount", "currency", "formatted"}` for minor units in `currency`.
func adminMoney(_ amount: Int64, _ currency: String) -> [String: Any] {
    ["amount": amount, "currency": currency, "formatted": MoneyFormat.format(amount, currency: currency)]
}

/// A JSON document built inside a storage transaction and handed out of it. Its values are
/// `JSONSerialization`'s: strings, numbers, booleans, arrays and dictionaries of them, all Swift
/// value types, so sharing one between tasks is safe though `Any` cannot say so.
struct JSONDocument<Value>: @unchecked Sendable {
    let value: Value
}
