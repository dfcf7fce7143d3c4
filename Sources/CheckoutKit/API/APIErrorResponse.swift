import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// The JSON every error response carries: `{"error": {"code", "message", "field"?}}`.
struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let field: String?
    }

    let error: Detail

    static func response(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) -> Response {
        let body = APIErrorBody(error: Detail(code: code, message: message, field: field))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension CheckoutError: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .cartNotFound, .lineNotFound, .orderNotFound, .sessionNotFound, .deliveryNotFound: return .notFound
        case .emptyCart, .pricing, .invalid: return .unprocessableContent
        case .malformedBody: return .badRequest
        case .payloadTooLarge: return .contentTooLarge
        case .idempotencyConflict, .cartBusy, .outOfStock, .conflict: return .conflict
        case .paymentProviderFailed: return .badGateway
        case .tooManyRequests: return .tooManyRequests
        case .notSignedIn, .unauthorized: return .unauthorized
        case .forbidden, .csrfMismatch: return .forbidden
        case .notFound: return .notFound
        }
    }

    var code: String {
        switch self {
        case .cartNotFound: return "cart_not_found"
        case .lineNotFound: return "line_not_found"
        case .deliveryNotFound: return "delivery_not_found"
        case .orderNotFound: return "order_not_found"
        case .sessionNotFound: return "session_not_found"
        case .emptyCart: return "empty_cart"
        case let .pricing(error): return error.code
        case .invalid: return "invalid_field"
        case .malformedBody: return "malformed_body"
        case .payloadTooLarge: return "payload_too_large"
        case .idempotencyConflict: return "idempotency_key_reused"
        case .cartBusy: return "cart_changing"
        case .paymentProviderFailed: return "payment_provider_error"
        case .tooManyRequests: return "rate_limited"
        case .notSignedIn: return "not_signed_in"
        case .unauthorized: return "unauthorized"
        case .outOfStock: return "out_of_stock"
        case .forbidden: return "forbidden"
        case .csrfMismatch: return "csrf_token_invalid"
        case .notFound: return "not_found"
        case .conflict: return "conflict"
        }
    }

    var field: String? {
        switch self {
        case .cartNotFound, .emptyCart, .cartBusy: return "cart_id"
        case .lineNotFound: return "line_id"
        case .deliveryNotFound: return "delivery"
        case .orderNotFound: return "order_id"
        case .sessionNotFound: return "session"
        case let .pricing(error): return error.field
        case let .invalid(field, _): return field
        case .idempotencyConflict: return "Idempotency-Key"
        case .outOfStock: return "sku"
        case .csrfMismatch: return "csrf"
        case let .notFound(field, _), let .conflict(field, _): return field
        default: return nil
        }
    }

    /// What went wrong, for people.
    public var message: String {
        switch self {
        case .cartNotFound: return "no cart with that id"
        case .lineNotFound: return "no line with that id in this cart or order"
        case .deliveryNotFound: return "no delivery with that id in this order"
        case .orderNotFound: return "no order with that id and token"
        case .sessionNotFound: return "no payment session with that id"
        case .emptyCart: return "the cart is empty"
        case let .pricing(error): return error.message
        case let .invalid(_, message): return message
        case let .malformedBody(message): return message
        case let .payloadTooLarge(limit): return "the body is larger than \(limit) bytes"
        case .idempotencyConflict: return "this Idempotency-Key was used for a different request"
        case .cartBusy: return "the cart kept changing during checkout; check the cart and try again"
        case .paymentProviderFailed: return "the payment provider could not start the payment; try again"
        case .tooManyRequests: return "too many requests; try again later"
        case .notSignedIn: return "sign in first: ask for a sign-in link with POST /api/account/login"
        case .unauthorized:
            return "an admin API key is required: Authorization: Bearer <key> (checkout admin keys create), or sign in to /admin/"
        case let .forbidden(role, action): return "the \(role) role may not \(action.replacingOccurrences(of: "_", with: " "))"
        case .csrfMismatch:
            return "a console session's write needs its CSRF token (the csrf form field, or the X-CSRF-Token header); reload the page and try again"
        case let .notFound(_, message), let .conflict(_, message): return message
        case let .outOfStock(sku, available):
            return available == 0 ? "\(Quoted(sku)) is sold out" : "only \(available) of \(Quoted(sku)) left; lower the quantity"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [:]
        if case let .tooManyRequests(seconds) = self { headers[.retryAfter] = String(max(1, seconds)) }
        return APIErrorBody.response(status: status, code: code, message: message, field: field, headers: headers)
    }
}
