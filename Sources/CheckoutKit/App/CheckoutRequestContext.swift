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

    /// The client's IP address, for rate limits (formatted only when a rate-limited route asks).
    public var remoteIP: String { remoteAddress?.ipAddress ?? "unknown" }

    /// API bodies are small; anything bigger is refused with 413 before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}
