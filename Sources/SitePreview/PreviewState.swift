import SiteBuilder
import Synchronization
import SiteCore

/// What the preview shows: the built site, or the build's errors.
final class PreviewState: Sendable {
    private let error = Mutex<BuildError?>(nil)

    var buildError: BuildError? { error.withLock { $0 } }

    func set(_ newError: BuildError?) { error.withLock { $0 = newError } }
}
