import HTTPTypes
import Hummingbird

/// Drops `Range` (and `If-Range`) from requests for the built site that `--public` serves, so those
/// files are always sent whole.
///
/// Hummingbird 2.28's `FileMiddleware` answers `bytes=5000-` on a 100-byte file with a 206 and a
/// negative `Content-Length`, and `bytes=-5` with the first six bytes instead of the last five. A
/// server may ignore `Range` (RFC 9110 §14.2), and pages and assets are small. Downloads keep their
/// own range support (`DownloadController.byteRange`).
struct StaticRangeMiddleware: RouterMiddleware {
    typealias Context = CheckoutRequestContext
    static let ifRange = HTTPField.Name("If-Range")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.range] != nil, !request.uri.path.hasPrefix("/downloads/") else { return try await next(request, context) }
        var head = request.head
        head.headerFields[.range] = nil
        head.headerFields[Self.ifRange] = nil
        return try await next(Request(head: head, body: request.body), context)
    }
}
