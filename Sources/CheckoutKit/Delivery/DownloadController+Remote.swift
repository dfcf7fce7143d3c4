import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// Remote files (`RemoteFile`): the entitlement is checked as for a local file, then the file is
/// fetched from its URL and streamed through, so the customer never learns the origin URL.
///
/// A `Range` header is passed on; the origin's answer decides what is sent (206 with its
/// `Content-Range`, or the whole file). The download is counted against the same limit and byte
/// budget as a local file once the origin's headers give the size, before any byte is sent. An
/// origin that fails, does not answer within `--origin-timeout` (30 s) or answers
/// other than 200/206/416 gives the customer a 502 page that names nothing of the origin.
extension DownloadController {
    func remote(
        _ url: String, link: DownloadLink, grant: String, counts: any DownloadCounts, request: Request, now: Int,
        newLink: (label: String, url: String)
    ) async throws -> Response {
        if try await counts.isSpent(grant: grant, file: link.file) { return limitReached(newLink) }
        var fetch = HTTPClientRequest(url: url)
        // The bytes as stored: a compressed answer would be unpacked by the client and no longer
        // match the Content-Length and Content-Range the origin sent.
        fetch.headers.add(name: "Accept-Encoding", value: "identity")
        if let range = request.headers[.range], range.utf8.count <= 200, range.hasPrefix("bytes=") {
            fetch.headers.add(name: "Range", value: range)
        }
        let host = URLComponents(string: url)?.host ?? "?"
        let origin: HTTPClientResponse
        do {
            let timeout = shop.configuration.originTimeout.components
            origin = try await HTTPClient.shared.execute(
                fetch, timeout: .seconds(timeout.seconds) + .nanoseconds(timeout.attoseconds / 1_000_000_000))
        } catch {
            shop.logger.error("download failed: file origin unreachable", metadata: ["host": "\(host)", "error": "\(error)"])
            return unavailable()
        }
        let encoded = (origin.headers.first(name: "Content-Encoding") ?? "identity").lowercased() != "identity"
        // A length of encoded bytes says nothing of the bytes sent on; the file then goes chunked.
        let length = encoded ? nil : origin.headers.first(name: "Content-Length").flatMap { Int($0) }
        var headers: HTTPFields = [
            // The type from the file's name, as for local files: an origin's `text/html` is not passed on.
            .contentType: Self.mediaType(of: RemoteFile.name(url)),
            .cacheControl: "private, no-store", .contentDisposition: Self.disposition(url),
        ]
        if origin.headers.first(name: "Accept-Ranges") == "bytes" { headers[.acceptRanges] = "bytes" }
        let bytes: Int
        let size: Int
        switch origin.status.code {
        case 200:
            size = length ?? 1
            bytes = size
        case 206:
            guard let range = origin.headers.first(name: "Content-Range"), let part = Self.contentRange(range) else {
                shop.logger.error("download failed: origin sent 206 without a usable Content-Range", metadata: ["host": "\(host)"])
                return unavailable()
            }
            headers[.contentRange] = range
            // A part of a file of unknown size counts as the whole file.
            size = part.total ?? part.count
            bytes = part.count
        case 416:
            return Response(
                status: .rangeNotSatisfiable,
                headers: [.contentRange: origin.headers.first(name: "Content-Range") ?? "bytes */*", .cacheControl: "no-store"])
        default:
            shop.logger.error("download failed: file origin answered \(origin.status.code)", metadata: ["host": "\(host)"])
            return unavailable()
        }
        guard try await counts.record(grant: grant, file: link.file, bytes: bytes, of: size, whole: bytes == size, now: now) else {
            return limitReached(newLink)
        }
        shop.metrics.downloads(outcome: "ok")
        if let length { headers[.contentLength] = String(length) }
        return Response(
            status: origin.status.code == 206 ? .partialContent : .ok, headers: headers, body: ResponseBody(asyncSequence: origin.body))
    }

    func unavailable() -> Response {
        shop.metrics.downloads(outcome: "origin_error")
        return MessagePage.response(
            status: .badGateway, title: "This file is not available right now",
            message: "We could not fetch it just now. Please try the same link again in a few minutes, or reply to your receipt.")
    }

    /// `bytes 0-99/1234` → 100 bytes of 1,234; `bytes 0-99/*` → 100 bytes of an unknown size.
    static func contentRange(_ value: String) -> (count: Int, total: Int?)? {
        guard value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let bounds = parts[0].split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]), first >= 0, last >= first, last < Int.max else {
            return nil
        }
        if parts[1] == "*" { return (last - first + 1, nil) }
        guard let total = Int(parts[1]), total > last else { return nil }
        return (last - first + 1, total)
    }
}
