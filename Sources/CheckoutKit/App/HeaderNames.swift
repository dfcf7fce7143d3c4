import HTTPTypes

/// Header names the checkout reads or writes that HTTPTypes does not define. Each literal is a valid
/// token (RFC 9110 §5.1), so the failable initialiser cannot fail.
extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let stripeSignature = HTTPField.Name("Stripe-Signature")!
    static let requestID = HTTPField.Name("X-Request-Id")!
}
