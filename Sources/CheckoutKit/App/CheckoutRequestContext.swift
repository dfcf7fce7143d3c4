import Hummingbird

/// Per-request context: Hummingbird's core storage, with a body limit suited to a JSON API.
public struct CheckoutRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for rate limits.
    public let remoteIP: String

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// API bodies are small; anything bigger is refused with 413 before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}
