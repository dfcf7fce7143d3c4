import Foundation
import Testing
import TestSupport

/// The benchmark scripts at a tiny size, so they cannot rot. Timings are recorded, never asserted.
@Suite struct BenchSmokeTests {
    @Test func theBenchmarkScriptsRunAndWriteBothResultFiles() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        let (status, text) = try await runProgram(
            "/usr/bin/env", ["python3", repositoryRoot + "/bench/bench.py", "--mode", "smoke", "--bin", try productsFolder().path, "--out", out])
        #expect(status == 0, "bench.py --mode smoke (needs hugo, wrk, /usr/bin/time: scripts/setup.sh --for-tests):\n\(text)")
        let data = try #require(FileManager.default.contents(atPath: out + "/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let names = (results["measures"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for expected in ["full build", "rebuild, nothing changed", "rebuild, one product edited", "GET cart", "POST cart line",
                         "POST checkout", "webhook ingest", "cold start"] {
            #expect(names.contains { $0.contains(expected) }, "results.json lacks '\(expected)'")
        }
        #expect(FileManager.default.fileExists(atPath: out + "/RESULTS.md"))
        #expect(FileManager.default.fileExists(atPath: out + "/chart.svg"))
    }
}
