import Foundation
import ShopCore

/// A quantity as a client sends it: a JSON number, or digits (a form field, or a JSON string).
///
/// A number too large for `Int` (a quantity of 2647282229755897512250572800) is a 422 naming the
/// field, not "malformed JSON": Foundation's `JSONDecoder` reports such a number as invalid JSON
/// with no coding path, so it is caught here, where the path is known.
struct RequestedQuantity: Decodable, Sendable, Equatable {
    let value: Int

    init(_ value: Int) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let field = RequestBody.fieldPath(decoder.codingPath)
        if let number = try? container.decode(Int.self) {
            value = number
            return
        }
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingCharacters(in: .whitespaces)
        } else if let decimal = try? container.decode(Decimal.self) {
            text = "\(decimal)"
        } else {
            throw CheckoutError.invalid(field: field, message: "'\(field)' must be a whole number")
        }
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CheckoutError.invalid(field: field, message: "'\(field)' must be a whole number, not \(Quoted(text))")
        }
        guard let number = Int(text) else {
            // The same error the route gives any quantity out of range, with the number as sent: a
            // top-level `quantity` is a pricing error (`invalid_quantity`); one inside `lines` names its path.
            let error = PricingError.quantityOutOfRange(String(text.prefix(100)))
            throw field == "quantity" ? CheckoutError.pricing(error) : CheckoutError.invalid(field: field, message: error.message)
        }
        value = number
    }
}
