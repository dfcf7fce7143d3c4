import Foundation
import Hummingbird
import NIOCore
import ShopCore

/// Reads request bodies into typed values: JSON for the API, and also HTML form posts
/// (`application/x-www-form-urlencoded`) on the routes pages post to without JavaScript.
///
/// Every problem becomes a `CheckoutError` a client can act on, never a trap: a body over
/// `context.maxUploadSize` bytes is a 413 `payload_too_large`, a body that is not JSON (or not a well-formed form) a 400
/// `malformed_body`, and a missing or ill-typed field a 422 `invalid_field` naming the field.
enum RequestBody {
    /// A body decoded from JSON or from a form post, and which of the two it was.
    struct Decoded<Value> {
        let value: Value
        /// The request came from a plain HTML form, so the answer is a redirect rather than JSON.
        let isForm: Bool
    }

    /// Decodes a JSON body; an empty body reads as `{}`.
    /// - Throws: `CheckoutError.malformedBody`, `.invalid(field:message:)` or `.payloadTooLarge`.
    static func json<Value: Decodable>(_ type: Value.Type, from request: Request, context: CheckoutRequestContext) async throws -> Value {
        try json(type, from: try await collect(request, context: context))
    }

    /// Decodes JSON bytes; empty bytes read as `{}`.
    /// - Throws: `CheckoutError.malformedBody` or `.invalid(field:message:)`.
    static func json<Value: Decodable>(_ type: Value.Type, from bytes: Data) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: bytes.isEmpty ? Data("{}".utf8) : bytes)
        } catch let error as CheckoutError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            // Foundation reports bad syntax this way (and numbers too large for their type: see `RequestedQuantity`).
            throw CheckoutError.malformedBody("the body is not valid JSON")
        } catch let error as DecodingError {
            throw problem(error, whole: "the body must be a JSON object")
        } catch {
            throw CheckoutError.malformedBody("the body is not valid JSON")
        }
    }

    /// Decodes a form post when the content type says so, else JSON.
    ///
    /// Forms are read with Hummingbird's `URLEncodedFormDecoder` (WHATWG `application/x-www-form-urlencoded`:
    /// `&`-separated `name=value` pairs, `+` for space, percent-encoding). A pair without a name, a name
    /// given twice, or bad percent-encoding is a 400: no HTML form sends those.
    static func formOrJSON<Value: Decodable>(
        _ type: Value.Type, from request: Request, context: CheckoutRequestContext
    ) async throws -> Decoded<Value> {
        guard isForm(request) else { return Decoded(value: try await json(type, from: request, context: context), isForm: false) }
        let bytes = try await collect(request, context: context)
        return Decoded(value: try form(type, from: String(decoding: bytes, as: UTF8.self)), isForm: true)
    }

    /// Decodes `application/x-www-form-urlencoded` text.
    /// - Throws: `CheckoutError.malformedBody` or `.invalid(field:message:)`.
    static func form<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        if text.split(separator: "&").contains(where: { $0.hasPrefix("=") }) {
            throw CheckoutError.malformedBody("the form has a field without a name")
        }
        do {
            return try URLEncodedFormDecoder().decode(Value.self, from: text)
        } catch let error as CheckoutError {
            throw error
        } catch let error as URLEncodedFormError {
            throw CheckoutError.malformedBody(formProblem(error))
        } catch let error as DecodingError {
            throw problem(error, whole: "the form is malformed")
        } catch {
            throw CheckoutError.malformedBody("the form is malformed")
        }
    }

    /// What is wrong with a form, quoting the field as sent (never Hummingbird's text, which echoes it raw).
    private static func formProblem(_ error: URLEncodedFormError) -> String {
        switch error.code {
        case .duplicateKeys: return "the form gives the field \(Quoted(error.value)) twice"
        case .failedToPercentDecode: return "the form holds \(Quoted(error.value)), which is not valid percent-encoding"
        case .corruptKeyValue: return "the form has a malformed field name \(Quoted(error.value))"
        default: return "the form is malformed: its field names nest in a way no form here sends"
        }
    }

    static func isForm(_ request: Request) -> Bool {
        (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded")
    }

    private static func collect(_ request: Request, context: CheckoutRequestContext) async throws -> Data {
        var request = request
        do {
            return Data(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            // NIO's `NIOTooManyBytesError`; any other failure (the client went away) stays what it is.
            throw CheckoutError.payloadTooLarge(limit: context.maxUploadSize)
        }
    }

    /// A decoding error as the client's problem: the field at fault when there is one, else the whole body.
    private static func problem(_ error: DecodingError, whole: String) -> CheckoutError {
        switch error {
        case let .keyNotFound(key, context):
            let field = fieldPath(context.codingPath + [key])
            return .invalid(field: field, message: "'\(field)' is required")
        case let .typeMismatch(expected, context) where !context.codingPath.isEmpty:
            let field = fieldPath(context.codingPath)
            return .invalid(field: field, message: "'\(field)' must be \(describe(expected))")
        case let .valueNotFound(expected, context) where !context.codingPath.isEmpty:
            let field = fieldPath(context.codingPath)
            return .invalid(field: field, message: "'\(field)' must be \(describe(expected))")
        case let .dataCorrupted(context) where !context.codingPath.isEmpty:
            // JSON numbers too large for their field (a quantity of 10^27) land here.
            let field = fieldPath(context.codingPath)
            return .invalid(field: field, message: "'\(field)' is out of range or not a valid value")
        default:
            return .malformedBody(whole)
        }
    }

    /// A coding path as the API names fields: `lines.0.quantity`.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "a whole number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "a list"
        default: return "an object"
        }
    }
}
