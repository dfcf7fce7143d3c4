import Dispatch

/// A value worked out on another thread from the moment it is made; `value` waits for it. Lets a
/// build step start work a later step needs (`BuildStep.config` starts reading the content files).
final class Pending<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    // Written once by the worker before `done` is left, read only after waiting on it.
    private var result: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.done.leave()
        }
    }

    /// The value, once the work is done.
    var value: Value {
        done.wait()
        return result!
    }
}
