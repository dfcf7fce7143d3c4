import Foundation
import Hummingbird
import Logging

/// `bench-bare`: the HTTP stack alone (Hummingbird 2, one JSON route), to measure the checkout against.
/// Usage: bench-bare [PORT]   (0 picks a free port; the bound port is printed)
@main
struct BenchBare {
    static func main() async throws {
        let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8090
        var logger = Logger(label: "bench-bare")
        logger.logLevel = .warning
        let body = ByteBuffer(string: #"{"id":"cart_bare","lines":[],"total":{"amount":0,"currency":"USD"}}"#)
        let router = Router()
        router.get("/hello") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}
