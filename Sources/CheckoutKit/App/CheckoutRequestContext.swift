import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage, with a body limit suited to a JSON API.
public struct CheckoutRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    private let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The socket peer's address (a client, or a proxy in front of this service); nil in tests that
    /// run without a socket. Parsed only when a rate-limited route asks (`ClientAddress`).
    var peer: IPAddress? { remoteAddress?.ipAddress.flatMap(IPAddress.init) }

    /// API bodies are small; anything bigger is refused with 413 before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}
