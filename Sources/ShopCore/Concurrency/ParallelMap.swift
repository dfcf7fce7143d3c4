import Dispatch
import Foundation

/// Maps `items` on every core, keeping their order. `transform` must be safe to call concurrently.
/// Shared by the catalog parser (ShopCore) and the site build (SiteBuilder); inlinable, so each use is
/// specialized for its types as it was within one module.
@inlinable
public func parallelMap<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    guard count > 1 else { return items.map(transform) }
    let workers = ProcessInfo.processInfo.activeProcessorCount
    // Small chunks balance uneven pages; bounded so per-chunk overhead stays low.
    let chunk = max(1, min(64, count / (workers * 8)))
    let chunks = (count + chunk - 1) / chunk
    // Each item is lent to `transform` where it lies: read through the array, each was copied first
    // (a retain of every reference in it, and a release after, perf).
    return items.withUnsafeBufferPointer { input in
        let items = ReadOnlyItems(base: input.baseAddress!)
        return [R](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = DisjointSlots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                let start = index * chunk
                for position in start..<min(count, start + chunk) {
                    output.initialize(position, to: transform(items.base[position]))
                }
            }
            initialized = count
        }
    }
}

/// The items, read by every worker while the array that holds them is kept alive and unchanged.
@usableFromInline
struct ReadOnlyItems<T: Sendable>: @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<T>
    @inlinable init(base: UnsafePointer<T>) { self.base = base }
}

/// Output slots each written by exactly one worker, so no two threads touch the same memory.
@usableFromInline
struct DisjointSlots<R>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<R>
    @inlinable init(base: UnsafeMutablePointer<R>) { self.base = base }
    /// `consuming`: the result is moved into its slot; borrowed, each was copied there (a retain of
    /// every reference in it) and the original released (perf).
    @inlinable func initialize(_ position: Int, to value: consuming R) { (base + position).initialize(to: consume value) }
}
