import Foundation
import Hummingbird
import NIOCore

/// Reads a JSON request body into `T`, turning every decoding problem into a 400 or 422 that names the field.
func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, context: CheckoutRequestContext) async throws -> T {
    var request = request
    let buffer: ByteBuffer
    do {
        buffer = try await request.collectBody(upTo: context.maxUploadSize)
    } catch {
        throw HTTPError(.contentTooLarge, message: "the body is larger than \(context.maxUploadSize) bytes")
    }
    let data = Data(buffer: buffer)
    do {
        return try JSONDecoder().decode(T.self, from: data.isEmpty ? Data("{}".utf8) : data)
    } catch let DecodingError.keyNotFound(key, context) {
        throw CheckoutError.invalid(field: fieldPath(context.codingPath + [key]), message: "'\(fieldPath(context.codingPath + [key]))' is required")
    } catch let DecodingError.typeMismatch(expected, context) {
        throw CheckoutError.invalid(field: fieldPath(context.codingPath), message: "'\(fieldPath(context.codingPath))' must be \(describe(expected))")
    } catch let DecodingError.valueNotFound(expected, context) {
        throw CheckoutError.invalid(field: fieldPath(context.codingPath), message: "'\(fieldPath(context.codingPath))' must be \(describe(expected))")
    } catch let error as CheckoutError {
        throw error
    } catch {
        throw CheckoutError.malformedBody("the body is not valid JSON")
    }
}

private func fieldPath(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

private func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type: return "a whole number"
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    default: return "\(type)"
    }
}

/// A JSON response.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}
