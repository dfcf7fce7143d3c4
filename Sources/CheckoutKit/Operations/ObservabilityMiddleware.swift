import HTTPTypes
import Hummingbird
import Logging

/// Times every request, counts it by route and status, logs one structured line with the request id
/// (and the shop's id in a multi-shop deployment, on every line logged for the request), and returns
/// the request id in `X-Request-Id`.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = CheckoutRequestContext
    let metrics: CheckoutMetrics
    /// The shop's id, or empty for the one shop of a single-shop deployment.
    var shop = ""

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if !shop.isEmpty { context.logger[metadataKey: "shop"] = "\(shop)" }
        let start = ContinuousClock.now
        var status = 500
        defer {
            let duration = ContinuousClock.now - start
            let route = context.endpointPath ?? "unmatched"
            metrics.request(route: route, method: request.method.rawValue, status: status, duration: duration)
            let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
            context.logger.info(
                "request",
                metadata: [
                    // A path that holds a customer's address is logged as its route: logs outlive erasures.
                    "method": "\(request.method.rawValue)", "path": "\(route.contains(":email") ? route : request.uri.path)", "route": "\(route)",
                    "status": "\(status)", "duration_ms": "\((milliseconds * 100).rounded() / 100)",
                ])
        }
        var response = try await next(request, context)
        status = response.status.code
        response.headers[.requestID] = context.id
        return response
    }
}

/// Turns every error into the JSON error body; unknown errors become a 500 that leaks nothing but the request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = CheckoutRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CheckoutError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .contentTooLarge: code = "payload_too_large"
            case .methodNotAllowed: code = "method_not_allowed"
            case .badRequest: code = "bad_request"
            default: code = "http_\(error.status.code)"
            }
            let message = error.body ?? error.status.reasonPhrase.lowercased()
            return APIErrorBody.response(status: error.status, code: code, message: message, headers: error.headers)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return APIErrorBody.response(
                status: .internalServerError, code: "internal_error",
                message: "something went wrong on our side; quote request id \(context.id) when you contact us")
        }
    }
}
