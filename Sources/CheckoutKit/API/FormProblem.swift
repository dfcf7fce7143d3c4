import Hummingbird

/// Errors on the routes that pages post plain HTML forms to (JavaScript off): the shopper gets a small
/// page saying what went wrong, with a link back, instead of JSON. The same routes called with JSON
/// keep the JSON error body.
enum FormProblem {
    /// Runs `handler`; when the request is a form post, a `CheckoutError` becomes a page linking to
    /// `back` (a URL on the storefront).
    static func answering(_ request: Request, back: String, _ handler: () async throws -> Response) async throws -> Response {
        guard RequestBody.isForm(request) else { return try await handler() }
        do {
            return try await handler()
        } catch let error as CheckoutError {
            return page(error, back: back)
        }
    }

    /// The page for `error`, with its status (and `Retry-After` for a rate limit).
    static func page(_ error: CheckoutError, back: String) -> Response {
        var response = MessagePage.response(status: error.status, title: "That did not work", message: error.message, link: ("Go back", back))
        if case let .tooManyRequests(seconds) = error { response.headers[.retryAfter] = String(max(1, seconds)) }
        return response
    }
}
