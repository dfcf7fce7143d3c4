import Hummingbird

/// CORS for the storefront's routes only. The storefront on another origin calls the cart,
/// checkout, account and lead routes with credentials; the admin API and the console answer no
/// cross-origin request with CORS headers, so a script on the storefront (a sibling subdomain, thus
/// the same site, whose requests carry the staff cookie) can never read a console page or its CSRF
/// token.
struct StorefrontCORS: RouterMiddleware {
    typealias Context = CheckoutRequestContext
    let cors: CORSMiddleware<CheckoutRequestContext>

    static func isAdmin(_ path: String) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/") || path.hasPrefix("/api/admin/") || path == "/api/admin"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isAdmin(request.uri.path) { return try await next(request, context) }
        return try await cors.handle(request, context: context, next: next)
    }
}
