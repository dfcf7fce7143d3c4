import Crypto
import Foundation
import GRDB

/// Secrets the service makes for itself when the operator gives none (the download-link key), kept in
/// the database so links survive restarts.
enum SecretStore {
    static func secret(named name: String, in database: CheckoutDatabase) async throws -> String {
        try await database.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [name]) {
                return existing
            }
            let made = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?)", arguments: [name, made])
            return made
        }
    }
}
