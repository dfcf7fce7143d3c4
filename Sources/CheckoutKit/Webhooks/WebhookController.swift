import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore

/// `POST /webhooks/stripe`: hands the raw body and its `Stripe-Signature` to `WebhookIntake`, and
/// answers 2xx only once the event is stored.
struct WebhookController: Sendable {
    let shop: Shop
    static let maxBody = 1 << 20

    @Sendable func receive(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBody)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw CheckoutError.payloadTooLarge(limit: Self.maxBody)
        }
        switch try await WebhookIntake(shop: shop).accept(
            payload: Data(buffer: buffer), signature: request.headers[.stripeSignature], logger: context.logger) {
        case let .stored(duplicate):
            return jsonResponse(WebhookReceipt(duplicate: duplicate))
        case let .invalidSignature(reason):
            return APIErrorBody.response(status: .badRequest, code: "invalid_signature", message: reason, field: "Stripe-Signature")
        case .malformed:
            return APIErrorBody.response(status: .badRequest, code: "malformed_event", message: "the body is not a Stripe event")
        }
    }
}

/// The answer to a webhook delivery: `{"duplicate": …, "received": true}`.
struct WebhookReceipt: JSONBody {
    let duplicate: Bool

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("duplicate", duplicate)
            $0.member("received", true)
        }
    }
}
