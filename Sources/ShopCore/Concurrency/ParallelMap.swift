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
    return [R](unsafeUninitializedCapacity: count) { buffer, initialized in
        let output = DisjointSlots(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let start = index * chunk
            for position in start..<min(count, start + chunk) {
                output.initialize(position, to: transform(items[position]))
            }
        }
        initialized = count
    }
}

/// Output slots each written by exactly one worker, so no two threads touch the same memory.
@usableFromInline
struct DisjointSlots<R>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<R>
    @inlinable init(base: UnsafeMutablePointer<R>) { self.base = base }
    @inlinable func initialize(_ position: Int, to value: R) { (base + position).initialize(to: value) }
}
