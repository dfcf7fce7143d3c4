import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SiteBuilder
import SiteCore

/// Serves the built site, with the live-reload script added to every HTML page; while the build
/// fails, every page is the error report instead.
struct PreviewFiles: Sendable {
    let root: String
    let state: PreviewState

    static let liveReloadScript = """
        (function () {
          var events = new EventSource("/__sitegen/events");
          events.onmessage = function (event) { if (event.data === "reload") location.reload(); };
        })();
        """
    static let tag = "<script src=\"/__sitegen/live.js\"></script>"

    func response(for path: String) -> Response {
        let decoded = path.removingPercentEncoding ?? path
        var file = decoded.hasSuffix("/") ? decoded + "index.html" : decoded
        let normalized = (("/" + file) as NSString).standardizingPath
        if let error = state.buildError, file.hasSuffix(".html") || !file.contains(".") {
            return html(Self.errorPage(error), status: .internalServerError)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + normalized, isDirectory: &isDirectory), isDirectory.boolValue {
            file = normalized + "/index.html"
        } else {
            file = normalized
        }
        guard !file.contains("/../"), let data = FileManager.default.contents(atPath: root + file) else {
            let missing = FileManager.default.contents(atPath: root + "/404.html").map { String(decoding: $0, as: UTF8.self) } ?? "Not found"
            return html(missing, status: .notFound)
        }
        if file.hasSuffix(".html") { return html(String(decoding: data, as: UTF8.self), status: .ok) }
        return Response(
            status: .ok, headers: [.contentType: Self.mediaType(file), .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        var page = text
        if let end = page.range(of: "</body>", options: .backwards) {
            page.replaceSubrange(end, with: Self.tag + "</body>")
        } else {
            page += Self.tag
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func errorPage(_ error: BuildError) -> String {
        let items = error.diagnostics.prefix(50).map { diagnostic in
            let location = diagnostic.line.map { "\(diagnostic.file):\($0)" } ?? diagnostic.file
            return "<li><code>\(escape(location))</code> \(escape(diagnostic.message))"
                + (diagnostic.hint.map { "<br><span class=\"hint\">\(escape($0))</span>" } ?? "") + "</li>"
        }.joined()
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#2b1a1a;color:#fbeaea}main{max-width:880px;margin:40px auto;padding:0 20px}
            h1{color:#ffb4a8}li{margin:12px 0;background:#3a2323;padding:12px 16px;border-radius:8px;list-style:none}code{color:#ffd08a}.hint{color:#d9c3c3}</style>
            </head><body><main><h1>The build failed</h1><p>Fix the files below; this page reloads by itself when the build succeeds.</p>
            <ul>\(items)</ul></main></body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func mediaType(_ file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "txt": return "text/plain; charset=utf-8"
        case "ico": return "image/x-icon"
        case "webp": return "image/webp"
        default: return "application/octet-stream"
        }
    }
}
