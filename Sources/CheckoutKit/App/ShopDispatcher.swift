import HTTPTypes
import Hummingbird
import NIOCore

/// The front of a multi-shop deployment: answers each request with the routes of the shop its
/// `Host` names (as Shopify resolves a storefront by domain), and a Stripe webhook at
/// `/webhooks/stripe/{shop}` with that shop's, whatever the host. A host no shop lists gets a bare
/// 404 that names nothing, so probing hosts tells a stranger nothing about which shops exist.
/// `/healthz` answers `ok` on every host (a load balancer's check); `/readyz` and `/metrics`, which
/// cover every shop, are a bare 404 here on every host and answer on the operations listener only.
struct ShopDispatcher: HTTPResponder {
    typealias Context = CheckoutRequestContext

    let directory: ShopDirectory

    static let operationPaths: Set<String> = ["/readyz", "/metrics"]
    static let stripeWebhooks = "/webhooks/stripe/"
    static let host = HTTPField.Name("Host")!

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" { return try jsonResponse(["status": "ok"]) }
        if Self.operationPaths.contains(path) { return Response(status: .notFound) }
        // A second Host header (NIO makes the first the authority and leaves the others among the
        // fields) would leave which shop is meant to a guess: refused, as RFC 9112 §3.2 requires.
        if request.headers[Self.host] != nil { return Response(status: .badRequest) }
        let loaded: ShopDirectory.Loaded?
        do {
            if path.hasPrefix(Self.stripeWebhooks) {
                loaded = try await directory.shop(id: String(path.dropFirst(Self.stripeWebhooks.count)))
            } else {
                // The Host header (HTTP/1.1's `authority`). A request target in absolute form would name
                // the host itself and take precedence (RFC 9112 §3.2.2), but over a socket NIO keeps only
                // the target's path; requests built in process (the tests') name their host that way.
                loaded = try await directory.shop(host: request.uri.host ?? request.head.authority ?? "")
            }
        } catch {
            // Why is in the log and `/readyz`; the shopper learns only that the shop is down.
            return APIErrorBody.response(
                status: .serviceUnavailable, code: "shop_unavailable", message: "This shop is unavailable right now; try again later.",
                headers: [.retryAfter: "30"])
        }
        guard let loaded else { return Response(status: .notFound) }
        return try await loaded.responder.respond(to: request, context: context)
    }
}
