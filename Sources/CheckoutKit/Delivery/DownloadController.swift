import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import ShopCore

/// `GET /downloads/{token}`: checks the link's signature and expiry, that the customer is still
/// entitled, and the per-file download limit, then streams the file from the files folder.
struct DownloadController: Sendable {
    let shop: Shop

    @Sendable func download(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let delivery = shop.delivery
        let now = shop.clock.seconds
        let accountURL = shop.siteURL + "/account/"
        let newLink = (label: "Get a new link from your account", url: accountURL)
        let link: DownloadLink
        do {
            link = try DownloadLink.verify(try context.parameters.require("token"), secret: delivery.links.secret, now: now)
        } catch DownloadLink.Problem.expired {
            shop.metrics.downloads(outcome: "expired")
            return MessagePage.response(
                status: .gone, title: "This download link has expired",
                message: "Download links work for \(delivery.links.lifetime / 3600) hours. Sign in to your account for a fresh link.",
                link: newLink)
        } catch {
            shop.metrics.downloads(outcome: "invalid")
            return MessagePage.response(
                status: .forbidden, title: "This download link is not valid",
                message: "The link may have been cut short or changed. Sign in to your account for a working link.", link: newLink)
        }
        let ledger = delivery.ledger
        let entitled = try await shop.database.read { db in
            try ledger.current(db, email: link.email, now: now).contains(link.entitlement)
        }
        guard entitled, EntitlementRules.files(of: link.entitlement.item, catalog: shop.catalog).contains(link.file) else {
            shop.metrics.downloads(outcome: "not_entitled")
            return MessagePage.response(
                status: .forbidden, title: "This file is no longer available to you",
                message: "It was refunded, or the membership that included it has ended. Your account lists what you can download.",
                link: newLink)
        }
        guard let path = delivery.filePath(link.file) else {
            shop.logger.error("download refused: file path leaves the files folder", metadata: ["file": "\(link.file)"])
            return MessagePage.response(status: .forbidden, title: "This download link is not valid", message: "Please contact us.", link: newLink)
        }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil else {
            shop.logger.error("download refused: file missing", metadata: ["file": "\(link.file)"])
            return MessagePage.response(
                status: .notFound, title: "This file is missing", message: "We could not find it on our side; please contact us.")
        }
        var headers: HTTPFields = [
            .contentType: Self.mediaType(of: link.file), .acceptRanges: "bytes", .cacheControl: "private, no-store",
            .contentDisposition: Self.disposition(link.file),
        ]
        if let rangeHeader = request.headers[.range] {
            // Resumed or partial downloads are not counted against the limit.
            guard let range = Self.byteRange(rangeHeader, size: size) else {
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)", .cacheControl: "no-store"])
            }
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await FileIO().loadFile(path: path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        let key = link.entitlement.cause + "|" + link.entitlement.item
        let limit = delivery.limit
        let counted = try await shop.database.write { db in
            try db.execute(
                sql: "INSERT INTO downloads (grant_key, file, count, last_at) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING",
                arguments: [key, link.file, now])
            try db.execute(
                sql: "UPDATE downloads SET count = count + 1, last_at = ? WHERE grant_key = ? AND file = ? AND count < ?",
                arguments: [now, key, link.file, limit])
            return db.changesCount == 1
        }
        guard counted else {
            shop.metrics.downloads(outcome: "limit")
            return MessagePage.response(
                status: .forbidden, title: "Download limit reached",
                message: "This file has been downloaded \(limit) times, the most one purchase allows. Reply to your receipt and we will help.",
                link: newLink)
        }
        shop.metrics.downloads(outcome: "ok")
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
    }

    static func mediaType(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "pdf": return "application/pdf"
        case "zip": return "application/zip"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "epub": return "application/epub+zip"
        default: return "application/octet-stream"
        }
    }

    /// `attachment` with the real file name, ASCII-safe and RFC 5987-encoded.
    static func disposition(_ file: String) -> String {
        let name = (file as NSString).lastPathComponent
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = PercentEncoding.unreserved(name)
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range within a file of `size` bytes (RFC 9110
    /// §14.1.2): a last position past the end, however large, means the end; a suffix longer than the
    /// file means all of it; nil when the range is malformed, empty, or starts past the end (416).
    static func byteRange(_ header: String, size: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let start = spec[..<dash], end = spec[spec.index(after: dash)...]
        if start.isEmpty {
            guard let suffix = position(end), suffix > 0 else { return nil }
            return (size - min(suffix, size))...(size - 1)
        }
        guard let lower = position(start), lower < size else { return nil }
        guard !end.isEmpty else { return lower...(size - 1) }
        guard let upper = position(end), upper >= lower else { return nil }
        return lower...min(upper, size - 1)
    }

    /// A byte position: ASCII digits only; one too large for `Int` reads as `Int.max` (past any end).
    private static func position(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(digits) ?? Int.max
    }
}
