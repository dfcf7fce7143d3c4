import Crypto
import Foundation

/// Secrets the service makes for itself when the operator gives none (the download-link key), kept
/// in the database so links survive restarts; 256 random bits, base64.
enum SecretStore {
    static func secret(named name: String, in settings: any SettingsStorage) async throws -> String {
        let made = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        return try await settings.value(named: name, storingIfAbsent: made)
    }
}
