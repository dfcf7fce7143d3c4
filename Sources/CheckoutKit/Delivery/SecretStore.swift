import Crypto
import Foundation

/// Secrets the service makes for itself when the operator gives none (the download-link key), kept
/// in the database so links survive restarts; 256 random bits, base64. Instances starting at once
/// all get the one secret stored first.
enum SecretStore {
    static func secret(named name: String, in storage: any CheckoutStorage) async throws -> String {
        let made = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        return try await storage.write { tx in try tx.settings.value(named: name, storingIfAbsent: made) }
    }
}
