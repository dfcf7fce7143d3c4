import Foundation
import TestSupport
import Testing

/// Clients that hold connections: half-sent requests are closed after the idle timeout, and past the
/// connection cap new connections are closed at once while the open ones are served. Against the
/// real process (its flags): the blocking sockets here would otherwise hold the threads an in-process
/// server answers on.
@Suite struct ConnectionTests {
    func start(_ flags: [String]) async throws -> ServerProcess {
        let checkout = try TestCheckout()
        let server = try await ServerProcess.start(
            try checkout.databaseArguments("connections") + ["--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail"] + flags,
            environment: ["CHECKOUT_WEBHOOK_SECRET": "whsec_connections"])
        _ = server.keepReadingLog()
        return server
    }

    /// The blocking socket work runs on a thread of its own (`offCooperativePool`), never on one of
    /// the two threads every other test's tasks run on.
    @Test func aHalfSentRequestIsClosedAfterTheIdleTimeout() async throws {
        let server = try await start(["--idle-timeout", "1"])
        defer { server.process.terminate() }
        let port = server.port
        let (afterIdle, next) = try await offCooperativePool {
            let socket = try RawConnection(port: port)
            try socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            // The server closes it: the read ends (EOF) well before this 10 s deadline.
            return (try socket.receive(deadline: 10), try RawConnection(port: port).request("/healthz"))
        }
        #expect(afterIdle == "")
        #expect(next.hasPrefix("HTTP/1.1 200"))
    }

    @Test func pastTheCapNewConnectionsAreClosedAndTheOpenOnesServed() async throws {
        let server = try await start(["--max-connections", "3"])
        defer { server.process.terminate() }
        let port = server.port
        let (answers, served) = try await offCooperativePool {
            let connections = try (0..<4).map { _ in try RawConnection(port: port) }
            let answers = connections.map { (try? $0.request("/healthz")) ?? "" }
            for connection in connections { connection.close() }
            // Once they are gone, new clients are served again: the server sees the closes a moment
            // later (on a loaded machine, seconds), so new connections are tried until a 10 s deadline.
            var served = false
            let deadline = Date().addingTimeInterval(10)
            while !served && Date() < deadline {
                served = (try? RawConnection(port: port).request("/healthz"))?.hasPrefix("HTTP/1.1 200") == true
            }
            return (answers, served)
        }
        #expect(answers.filter { $0.hasPrefix("HTTP/1.1 200") }.count == 3, "\(answers)")
        #expect(answers.filter(\.isEmpty).count == 1, "one connection over the cap was closed")
        #expect(served)
    }
}

/// A blocking TCP connection to 127.0.0.1, for tests that need to send exactly the bytes they choose.
final class RawConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to port \(port)") }
    }

    /// Whether `close()` ran. Closing a descriptor twice closes whatever the process opened under the
    /// same number since (an event loop's socket, which then fails with EBADF and traps).
    private var closed = false

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(descriptor)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw TestFailure("send failed") }
    }

    /// What arrives before the peer closes or `deadline` seconds pass; "" when it closed with nothing.
    func receive(deadline seconds: Int) throws -> String {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw TestFailure("nothing within \(seconds) s (errno \(errno))") }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// Sends a GET and returns the start of the answer ("" when the server closed the connection).
    func request(_ path: String) throws -> String {
        try send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        return try receive(deadline: 10)
    }
}
