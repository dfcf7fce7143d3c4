import Hummingbird
import NIOCore

/// A small HTML page for people following links from emails: download problems, confirmations, sign-in.
enum MessagePage {
    static func response(status: HTTPResponse.Status, title: String, message: String, link: (label: String, url: String)? = nil) -> Response {
        let action = link.map { "<p><a class=\"button\" href=\"\(escape($0.url))\">\(escape($0.label))</a></p>" } ?? ""
        let html = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font:16px/1.6 system-ui,sans-serif;background:#fbf8f1;color:#2b2a27;margin:0}
            main{max-width:560px;margin:64px auto;background:#fff;border:1px solid #e6dfd0;border-radius:12px;padding:28px 32px}
            h1{font-family:Georgia,serif;margin-top:0}.button{display:inline-block;background:#8a6d1d;color:#fff;border-radius:999px;padding:10px 20px;text-decoration:none;font-weight:600}
            a:focus-visible{outline:3px solid #4f6b4a;outline-offset:2px}
            </style></head>
            <body><main><h1>\(escape(title))</h1><p>\(escape(message))</p>\(action)</main></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
