import AsyncHTTPClient
import Foundation
import Testing

/// `scripts/supervise`, which `scripts/start.sh` runs the checkout under: a checkout that dies is
/// started again, and stopping the supervisor stops the checkout.
@Suite struct SupervisorTests {
    @Test func aKilledCheckoutIsStartedAgainAndServes() async throws {
        let checkout = try TestCheckout()
        let port = try freeLoopbackPort()
        let process = Process()
        // The test runner's threads block signals and a spawned process inherits that mask, so bash
        // would never run its SIGTERM trap; a shell started by systemd or a terminal has nothing
        // blocked. Python clears the mask and then becomes the supervisor.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            repositoryRoot + "/scripts/supervise",
            try productsFolder().appendingPathComponent("checkout").path, "serve", "--port", "\(port)",
            "--db", checkout.folder + "/supervised.sqlite", "--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail",
        ]
        process.environment = ["CHECKOUT_WEBHOOK_SECRET": "whsec_supervised", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let log = LogReader(errors.fileHandleForReading)

        let first = try #require(log.pid(after: "supervise: started"), "\(log.text)")
        #expect(log.waitFor("listening on 127.0.0.1:\(port)"), "\(log.text)")
        kill(first, SIGKILL)
        #expect(log.waitFor("exited with status"), "the supervisor saw the crash: \(log.text)")
        let second = try #require(log.pid(after: "supervise: started"), "\(log.text)")
        #expect(second != first)
        #expect(log.waitFor("listening on 127.0.0.1:\(port)"), "started again: \(log.text)")

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let health = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(10))
        #expect(health.status.code == 200)

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(kill(second, 0) != 0, "stopping the supervisor stopped the checkout")
    }
}

/// Reads a process's output as it comes (blocking reads, no sleeping).
final class LogReader {
    private let handle: FileHandle
    private(set) var text = ""
    private var consumed: String.Index

    init(_ handle: FileHandle) {
        self.handle = handle
        consumed = text.startIndex
    }

    /// Reads until `marker` appears after what earlier waits consumed; false when the output ends first.
    func waitFor(_ marker: String) -> Bool {
        while true {
            if let range = text.range(of: marker, range: consumed..<text.endIndex) {
                consumed = range.upperBound
                return true
            }
            let data = handle.availableData
            if data.isEmpty { return false }
            let offset = text.distance(from: text.startIndex, to: consumed)
            text += String(decoding: data, as: UTF8.self)
            consumed = text.index(text.startIndex, offsetBy: offset)
        }
    }

    /// The process id in `… (pid N)` on the next line holding `marker`.
    func pid(after marker: String) -> pid_t? {
        guard waitFor(marker), waitFor("(pid ") else { return nil }
        let digits = text[consumed...].prefix { $0.isNumber }
        return pid_t(digits)
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
