import CCmarkGFM
import Foundation

/// A link or image found in Markdown, with the line it is on (relative to the Markdown text).
public struct MarkdownLink: Hashable, Sendable {
    public let url: String
    public let line: Int

    public init(url: String, line: Int) {
        self.url = url
        self.line = line
    }
}

/// HTML rendered from Markdown, and the links it contains for the link check.
public struct RenderedMarkdown: Sendable {
    public let html: String
    public let links: [MarkdownLink]
}

/// GitHub-flavoured Markdown through cmark-gfm: tables, strikethrough, autolinks and task lists.
///
/// Raw HTML is replaced by a comment unless the site opts in; even then the GFM tag filter
/// escapes `<script>`, `<iframe>`, `<style>` and similar tags.
public struct MarkdownRenderer: Sendable {
    public let allowRawHTML: Bool

    public init(allowRawHTML: Bool) {
        self.allowRawHTML = allowRawHTML
    }

    public func render(_ markdown: String) -> RenderedMarkdown {
        var options = CMARK_OPT_SMART | CMARK_OPT_GITHUB_PRE_LANG
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        guard let parser = cmark_parser_new(options) else { return RenderedMarkdown(html: "", links: []) }
        defer { cmark_parser_free(parser) }
        for syntax in GFMExtensions.shared.all {
            cmark_parser_attach_syntax_extension(parser, syntax)
        }
        markdown.utf8CString.withUnsafeBufferPointer { buffer in
            cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
        }
        guard let document = cmark_parser_finish(parser) else { return RenderedMarkdown(html: "", links: []) }
        defer { cmark_node_free(document) }
        let links = Self.links(in: document)
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let rendered = cmark_render_html(document, options, extensions) else {
            return RenderedMarkdown(html: "", links: links)
        }
        defer { free(rendered) }
        return RenderedMarkdown(html: String(cString: rendered), links: links)
    }

    private static func links(in document: OpaquePointer) -> [MarkdownLink] {
        var links: [MarkdownLink] = []
        guard let iterator = cmark_iter_new(document) else { return links }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE, let url = cmark_node_get_url(node) else { continue }
            links.append(MarkdownLink(url: String(cString: url), line: Int(cmark_node_get_start_line(node))))
        }
        return links
    }
}

/// The GFM extensions, registered once per process.
struct GFMExtensions: @unchecked Sendable {
    // Pointers into cmark-gfm's global, immutable extension registry: safe to share between threads.
    let all: [OpaquePointer]

    static let shared: GFMExtensions = {
        cmark_gfm_core_extensions_ensure_registered()
        let names = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]
        return GFMExtensions(all: names.compactMap { cmark_find_syntax_extension($0) })
    }()
}
