import Foundation
import Hummingbird
import NIOCore

/// A request body that may be JSON (scripts, the storefront script) or an HTML form post (pages with
/// JavaScript off): either way, a dictionary of strings.
struct FormOrJSON {
    let fields: [String: String]
    /// The request came from a plain HTML form, so the answer is a redirect rather than JSON.
    let isForm: Bool

    static func read(_ request: Request, context: CheckoutRequestContext) async throws -> FormOrJSON {
        let type = request.headers[.contentType] ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            let object = try await decodeJSON([String: FlexibleValue].self, from: request, context: context)
            return FormOrJSON(fields: object.compactMapValues(\.text), isForm: false)
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var fields: [String: String] = [:]
        for (key, value) in FormEncoding.decode(String(buffer: body)) { fields[key] = value }
        return FormOrJSON(fields: fields, isForm: true)
    }

    /// A JSON value read as text when it is a string or number.
    struct FlexibleValue: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Int.self) {
                text = String(number)
            } else {
                text = nil
            }
        }
    }
}

/// Where a form post may send the shopper back to: a path on the storefront, never another site.
func safeReturnPath(_ raw: String?, fallback: String) -> String {
    guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), !raw.contains("\n") else { return fallback }
    return raw
}
