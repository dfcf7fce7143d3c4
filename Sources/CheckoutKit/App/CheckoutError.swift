import ShopCore

/// What can go wrong for a client of the checkout, each with the request field at fault.
public enum CheckoutError: Error, Equatable, Sendable {
    case cartNotFound
    case lineNotFound
    case deliveryNotFound
    case orderNotFound
    case emptyCart
    case pricing(PricingError)
    case invalid(field: String, message: String)
    case malformedBody(String)
    /// The body is over the route's limit, in bytes.
    case payloadTooLarge(limit: Int)
    case idempotencyConflict
    /// The cart kept changing while the checkout priced it (other requests writing it at once).
    case cartBusy
    case paymentProviderFailed
    case sessionNotFound
    /// Over a rate limit; the client may try again after `retryAfter` seconds.
    case tooManyRequests(retryAfter: Int)
    case notSignedIn
    case unauthorized
    /// Fewer units of `sku` are left than asked for (`available`, maybe 0).
    case outOfStock(sku: String, available: Int)
    /// The admin role `role` may not do `action` (`AdminPermission`).
    case forbidden(role: String, action: String)
    /// A console form or request came without the session's CSRF token.
    case csrfMismatch
    /// No record of `field`'s kind with the id or address given.
    case notFound(field: String, message: String)
    /// The record named by `field` is in a state that forbids the request (a customer with a
    /// membership still billed cannot be erased).
    case conflict(field: String, message: String)
}
