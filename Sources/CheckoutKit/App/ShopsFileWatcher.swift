import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Applies the shops file again when it changes (looked at every `interval`), or on SIGHUP, which
/// also loads every loaded shop again (for a rotated secret or an edited site), without a restart:
/// requests keep being answered throughout (`ShopDirectory.replace`). A file that no longer reads is
/// logged with its errors and the shops as they were keep serving.
struct ShopsFileWatcher: Service {
    let path: String
    let directory: ShopDirectory
    let logger: Logger
    var interval: Duration = .seconds(2)

    func run() async throws {
        var seen = Self.fingerprint(path)
        let hangUps = await UnixSignalsSequence(trapping: .sighup)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await _ in hangUps.cancelOnGracefulShutdown() { reload(because: "SIGHUP", reloadingAll: true) }
            }
            group.addTask { [directory] in
                // A second after the start, so checking every shop does not compete with the first requests.
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) } } catch { return }
                directory.preflight()
            }
            while true {
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
                let now = Self.fingerprint(path)
                if now != seen {
                    seen = now
                    reload(because: "the shops file changed")
                }
            }
            group.cancelAll()
        }
    }

    private func reload(because reason: String, reloadingAll: Bool = false) {
        do {
            let shops = try ShopsFile.load(path)
            directory.replace(shops, reloadingAll: reloadingAll)
            directory.preflight()
            logger.notice("shops reloaded", metadata: ["reason": "\(reason)", "shops": "\(shops.shops.count)"])
        } catch {
            logger.error("shops file not applied; the shops as they were keep serving", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    /// Names, sizes and modification times of the file, or of the folder's files.
    static func fingerprint(_ path: String) -> [String] {
        let manager = FileManager.default
        func stamp(_ file: String) -> String {
            let attributes = (try? manager.attributesOfItem(atPath: file)) ?? [:]
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file) \(attributes[.size] as? Int ?? -1) \(modified)"
        }
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [stamp(path)] }
        return ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted().map { stamp(path + "/" + $0) }
    }
}
