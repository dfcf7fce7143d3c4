import Synchronization

/// Carts as last written by this process, so reading a cart (the storefront does it on every page
/// with a cart badge) needs no trip to SQLite. Filled only by writes, after they commit, and only
/// coherent because this process is the database's one writer: run one `checkout serve` per database
/// file. A miss falls through to the database.
///
/// Each write takes a version inside its transaction, so versions follow commit order; a store that
/// arrives late never replaces a newer cart. Two generations bound memory: when the young one is full
/// it becomes the old one and the old one is dropped; a cart read from the old one moves back.
final class CartCache: Sendable {
    private struct Entry {
        let cart: StoredCart
        let version: UInt64
    }

    private struct State {
        var young: [String: Entry] = [:]
        var old: [String: Entry] = [:]
        var lastVersion: UInt64 = 0
        /// The newest version dropped with an old generation: a store at or below it may be older
        /// than a write whose entry is gone, so it is not trusted.
        var floor: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Carts kept per generation.
    let generationSize: Int

    init(generationSize: Int = 25_000) {
        self.generationSize = generationSize
    }

    /// A version for a write; call inside the write transaction.
    func nextVersion() -> UInt64 {
        state.withLock { state in
            state.lastVersion += 1
            return state.lastVersion
        }
    }

    /// Records `cart` as committed at `version`.
    func store(_ cart: StoredCart, version: UInt64) {
        state.withLock { state in
            guard version > state.floor else {
                state.young[cart.id] = nil
                state.old[cart.id] = nil
                return
            }
            if let current = state.young[cart.id] ?? state.old[cart.id], current.version >= version { return }
            state.old[cart.id] = nil
            insert(Entry(cart: cart, version: version), into: &state)
        }
    }

    func cart(_ id: String) -> StoredCart? {
        state.withLock { state in
            if let entry = state.young[id] { return entry.cart }
            guard let entry = state.old.removeValue(forKey: id) else { return nil }
            insert(entry, into: &state)
            return entry.cart
        }
    }

    private func insert(_ entry: Entry, into state: inout State) {
        if state.young.count >= generationSize {
            state.floor = max(state.floor, state.old.values.reduce(0) { max($0, $1.version) })
            state.old = state.young
            state.young = [:]
            state.young.reserveCapacity(generationSize)
        }
        state.young[entry.cart.id] = entry
    }
}
