import NIOCore
import Synchronization

/// A cap on open client connections, so a flood of idle or half-sent requests cannot use up the
/// process's file descriptors (which then fails database opens and, in libdispatch, the process
/// itself). A connection over the cap is closed as soon as it is accepted; the ones already open are
/// served as usual. With the idle timeout (`CheckoutConfiguration.idleTimeout`) a held connection is
/// also closed after that long without a complete request.
final class ConnectionLimit: Sendable {
    /// Connections allowed at once.
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Connections open now.
    var count: Int { open.load(ordering: .relaxed) }

    /// The handler for one new connection's pipeline.
    func handler() -> Handler { Handler(limit: self) }

    /// Counts its connection while it is open and closes it at once when the cap is reached.
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let limit: ConnectionLimit
        private var counted = false

        init(limit: ConnectionLimit) {
            self.limit = limit
        }

        func handlerAdded(context: ChannelHandlerContext) {
            guard context.channel.isActive else { return }
            admit(context)
        }

        func channelActive(context: ChannelHandlerContext) {
            if !counted { admit(context) }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            release()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            release()
        }

        private func admit(_ context: ChannelHandlerContext) {
            counted = true
            let now = limit.open.wrappingAdd(1, ordering: .relaxed).newValue
            if now > limit.maximum { context.close(promise: nil) }
        }

        private func release() {
            guard counted else { return }
            counted = false
            limit.open.wrappingSubtract(1, ordering: .relaxed)
        }
    }
}
