@testable import SiteBuilder
import Testing
@testable import SiteCore

@Suite struct TemplateEngineTests {
    func render(_ templates: [String: String], _ name: String = "main", _ context: TemplateValue) throws -> String {
        var compiled: [String: CompiledTemplate] = [:]
        for (key, text) in templates { compiled[key] = try CompiledTemplate(text) }
        return String(decoding: TemplateLibrary(templates: compiled).render(name, context), as: UTF8.self)
    }

    func render(_ template: String, _ context: TemplateValue) throws -> String {
        try render(["main": template], "main", context)
    }

    @Test func variablesAreEscapedUnlessTripleBraced() throws {
        let context: TemplateValue = ["x": "<a href=\"q\">Tom & Jerry's</a>"]
        #expect(try render("{{x}}", context) == "&lt;a href=&quot;q&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(try render("{{{x}}}|{{&x}}", context) == "<a href=\"q\">Tom & Jerry's</a>|<a href=\"q\">Tom & Jerry's</a>")
        #expect(try render("{{n}} {{b}} {{missing}}.", ["n": 3, "b": true]) == "3 true .")
    }

    @Test func sectionsLoopShowHideAndPushObjects() throws {
        let context: TemplateValue = ["items": [["name": "a"], ["name": "b"]], "yes": true, "no": false, "empty": "", "user": ["name": "Ann"], "name": "outer"]
        #expect(try render("{{#items}}<{{name}}>{{/items}}", context) == "<a><b>")
        #expect(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{#empty}}E{{/empty}}{{^empty}}!E{{/empty}}", context) == "Y!N!E")
        #expect(try render("{{#user}}{{name}}{{/user}} {{name}} {{user.name}}", context) == "Ann outer Ann")
        #expect(try render("{{#list}}[{{.}}]{{/list}}", ["list": ["x", "y"]]) == "[x][y]")
        #expect(try render("{{^list}}none{{/list}}", ["list": []]) == "none")
    }

    @Test func loopTransformsAndEmpty() throws {
        let context: TemplateValue = ["list": ["a", "b", "c"], "none": []]
        #expect(try render("{{#list}}{{.}}{{^last()}}, {{/last()}}{{/list}}", context) == "a, b, c")
        #expect(try render("{{#list}}{{#first()}}*{{/first()}}{{index()}}{{/list}}", context) == "*012")
        #expect(try render("{{^empty(list)}}has {{count(list)}}{{/empty(list)}}{{#empty(none)}} none{{/empty(none)}}", context) == "has 3 none")
        #expect(try render("{{uppercased(w)}} {{capitalized(w)}}", ["w": "grace"]) == "GRACE Grace")
    }

    @Test func partialsAndInheritance() throws {
        let templates = [
            "base": "<main>\n{{$body}}\ndefault\n{{/body}}\n</main>\n<footer>{{$foot}}© {{site}}{{/foot}}</footer>",
            "card": "[{{title}}]",
            "main": "{{<base}}\n{{$body}}\n{{#cards}}{{>card}}{{/cards}}\n{{/body}}\n{{/base}}",
        ]
        let output = try render(templates, "main", ["site": "Shop", "cards": [["title": "A"], ["title": "B"]]])
        #expect(output == "<main>\n[A][B]\n</main>\n<footer>© Shop</footer>")
    }

    @Test func standaloneTagLinesLeaveNoBlankLines() throws {
        let template = "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n  {{! a comment }}\n</ul>\n"
        #expect(try render(template, ["items": ["a", "b"]]) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
        #expect(try render("a {{#x}}b{{/x}} c\n", ["x": true]) == "a b c\n", "inline tags keep their spaces")
    }

    @Test(arguments: [
        ("line one\n{{#open}}\nnever closed\n", 2, "section 'open' is never closed"),
        ("{{#a}}\n{{/b}}\n", 2, "{{/b}} closes 'a'"),
        ("ok\n\n{{/stray}}", 3, "closes a section that was never opened"),
        ("{{name\n}}", 1, "a tag is not closed"),
        ("x {{reversed(list)}}", 1, "unknown function 'reversed()'"),
        ("{{=<% %>=}}", 1, "changing delimiters"),
    ])
    func syntaxErrorsNameTheLine(template: String, line: Int, message: String) {
        #expect {
            try CompiledTemplate(template)
        } throws: { error in
            guard let error = error as? TemplateSyntaxError else { return false }
            return error.line == line && error.kind.message.contains(message)
        }
    }
}
