import Foundation
import Testing
import TestSupport

/// The whole journey in headless Chromium (Selenium, Tests/browser/journeys.py): buying with a coupon
/// and downloading, joining a membership and signing in by the emailed link, a free printable, the cart
/// with JavaScript off, and the live preview. Screenshots of every step go to test-artifacts/browser/.
@Suite struct BrowserJourneyTests {
    @Test func theShopWorksInARealBrowser() async throws {
        let artifacts = repositoryRoot + "/test-artifacts/browser"
        try? FileManager.default.removeItem(atPath: artifacts)
        let (status, text) = try await runProgram("/usr/bin/env", [
            "python3", repositoryRoot + "/Tests/browser/journeys.py", "--bin", try productsFolder().path, "--artifacts", artifacts,
            "--repo", repositoryRoot,
        ])
        #expect(status == 0, "browser journeys (needs scripts/setup.sh --for-tests):\n\(text)")
        let screenshots = (try? FileManager.default.contentsOfDirectory(atPath: artifacts))?.filter { $0.hasSuffix(".png") } ?? []
        #expect(screenshots.count >= 15, "a screenshot of every step")
    }
}
