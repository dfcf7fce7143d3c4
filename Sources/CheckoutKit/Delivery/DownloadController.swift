import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// `GET /downloads/{token}`: checks the link's signature and expiry, that the customer is still
/// entitled, and the per-file download limit (`DownloadCounts`), then streams the file, or the one
/// range asked for (`ByteRange`), from the files folder, or from the file's URL for a remote file
/// (`DownloadController+Remote`).
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
        let entitled = try await shop.storage.read { tx in
            try ledger.current(tx, email: link.email, now: now).contains(link.entitlement)
        }
        guard entitled, let file = LinkedFile.resolve(link.file, among: EntitlementRules.files(of: link.entitlement.item, catalog: shop.catalog))
        else {
            shop.metrics.downloads(outcome: "not_entitled")
            return MessagePage.response(
                status: .forbidden, title: "This file is no longer available to you",
                message: "It was refunded, or the membership that included it has ended. Your account lists what you can download.",
                link: newLink)
        }
        let counts = shop.downloadCounts
        let grant = link.entitlement.cause + "|" + link.entitlement.item
        if RemoteFile.isRemote(file) {
            return try await remote(file, link: link, grant: grant, counts: counts, request: request, now: now, newLink: newLink)
        }
        guard let path = delivery.filePath(file) else {
            shop.logger.error("download refused: file path leaves the files folder", metadata: ["file": "\(file)"])
            return MessagePage.response(status: .forbidden, title: "This download link is not valid", message: "Please contact us.", link: newLink)
        }
        // A regular file only: a directory named in the catalog would be sent as 4,096 bytes of nothing.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int
        else {
            shop.logger.error("download refused: file missing", metadata: ["file": "\(file)"])
            return MessagePage.response(
                status: .notFound, title: "This file is missing", message: "We could not find it on our side; please contact us.")
        }
        var headers: HTTPFields = [
            .contentType: Self.mediaType(of: file), .acceptRanges: "bytes", .cacheControl: "private, no-store",
            .contentDisposition: Self.disposition(file),
        ]
        let range = ByteRange.parse(request.headers[.range], size: size)
        if range == .unsatisfiable {
            return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)", .cacheControl: "no-store"])
        }
        let sent: ClosedRange<Int>? = if case let .part(part) = range { part } else { nil }
        let bytes = sent?.count ?? size
        let fits = try await counts.record(grant: grant, file: link.file, bytes: bytes, of: size, whole: bytes == size, now: now)
        guard fits else { return limitReached(newLink) }
        shop.metrics.downloads(outcome: "ok")
        if let sent {
            headers[.contentRange] = "bytes \(sent.lowerBound)-\(sent.upperBound)/\(size)"
            headers[.contentLength] = String(sent.count)
            return Response(status: .partialContent, headers: headers, body: try await FileIO().loadFile(path: path, range: sent, context: context))
        }
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
    }

    func limitReached(_ newLink: (label: String, url: String)) -> Response {
        shop.metrics.downloads(outcome: "limit")
        return MessagePage.response(
            status: .forbidden, title: "Download limit reached",
            message: "This file has been downloaded \(shop.delivery.limit) times, the most one purchase allows. Reply to your receipt and we will help.",
            link: newLink)
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
        let name = RemoteFile.isRemote(file) ? RemoteFile.name(file) : (file as NSString).lastPathComponent
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = PercentEncoding.unreserved(name)
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
