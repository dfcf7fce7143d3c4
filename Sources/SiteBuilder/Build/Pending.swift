import Dispatch
import Foundation

/// A value worked out on another thread from the moment it is made; `value` waits for it. Lets a
/// build step start work a later step needs (`BuildStep.config` starts reading the content files).
final class Pending<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    // Written once by the worker before `done` is left, read only after waiting on it.
    private var result: Value?

    /// `ownThread`: the work runs on a thread of its own, not the shared pool's, for work that first
    /// waits on other work (a pool thread blocked waiting can leave a core of a `parallelMap` idle).
    init(ownThread: Bool = false, _ work: @escaping @Sendable () -> Value) {
        done.enter()
        let run: @Sendable () -> Void = {
            self.result = work()
            self.done.leave()
        }
        if ownThread {
            Thread.detachNewThread(run)
        } else {
            DispatchQueue.global().async(execute: run)
        }
    }

    /// The value, once the work is done.
    var value: Value {
        done.wait()
        return result!
    }
}
