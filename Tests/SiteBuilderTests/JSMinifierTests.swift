import Foundation
@testable import SiteBuilder
import Testing
import TestSupport

/// The minifier must never change what a script does: each program prints the same under Node
/// before and after, and the built-in storefront script still parses.
@Suite struct JSMinifierTests {
    static let programs: [String] = [
        "function f(s) { return / +x/.test(s) }\nconsole.log(f(' x'), f('x'))",
        "const a = 10, b = 2, g = 5\nconsole.log(a / b / g)",
        "let i = 4; i++ / 2; console.log(i++ / 2, i-- / 2)",
        "const n = 3\nconsole.log(`a ${ n > 2 ? `b ${ \"}\" } ${ '`' }` : 'c' } // not a comment ${ {x: 1}.x }`)",
        "console.log(\"// not a comment\", '/* nor this */', 'it\\'s')",
        "const r = [/a\\/b[/]c/g, / x /]\nconsole.log(r[0].source, r[1].test('a x b'))",
        "let x = 1\nlet y = x\n+1\nconsole.log(y)",
        "console.log(typeof /x/, typeof 1 / 2)",
        "var a = 1 + +'2'; var b = 3 - -1; var c = a+ +b; console.log(a, b, c)",
        "/* block\n comment */ console.log(1 /* inline */ + 2) // end",
        "const o = {a: 6}; console.log(o.a / 2 / 1, (o.a) / 3)",
        "function g() {\n  return\n  42\n}\nconsole.log(g())",
        "const s = [1, 2].map(v => v / 2); if (s.length) { console.log(s, 'a  b') }",
        "switch (2) { case /2/.test('2') ? 2 : 0: console.log('regex after case') }",
    ]

    func run(_ source: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("js-\(UUID().uuidString).js").path
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try await runProgram("/usr/bin/env", ["node", file])
        return "\(result.status): \(result.output)"
    }

    @Test(arguments: programs)
    func minifiedProgramsBehaveTheSame(program: String) async throws {
        let minified = String(decoding: JSMinifier.minify(Array(program.utf8)), as: UTF8.self)
        let before = try await run(program)
        #expect(before.hasPrefix("0: "), "the program itself runs: \(before)")
        #expect(try await run(minified) == before, "minified: \(minified)")
        #expect(minified.utf8.count <= program.utf8.count)
    }

    @Test func theBuiltInScriptStillParsesAfterMinifying() async throws {
        let script = try #require(BuiltInTheme.assets.first { $0.0 == "shop.js" }?.1)
        let minified = String(decoding: JSMinifier.minify(script), as: UTF8.self)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("shop-\(UUID().uuidString).js").path
        try minified.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let check = try await runProgram("/usr/bin/env", ["node", "--check", file])
        #expect(check.status == 0, "\(check.output)")
        #expect(minified.utf8.count < script.count * 9 / 10, "it still saves a tenth (about 18 % today)")
    }

    @Test func aSitesOwnScriptsShipByteForByte() throws {
        let site = try ExampleSite()
        let library = "/*! lib v1 */\nfunction t(s) {\n  return / +x/.test(s) // keep\n}\n"
        try site.write("assets/js/lib.js", library)
        try site.build()
        let shipped = try #require(site.outputFiles().first { $0.hasPrefix("assets/js/lib.") && $0.hasSuffix(".js") })
        #expect(site.read(shipped) == library)
    }
}
