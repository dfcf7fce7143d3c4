import Foundation
import Logging
import ShopCore

/// A data subject's requests against one shop: export everything held about a person, or erase
/// them (`CustomerExport`, `CustomerErasure`). What `checkout customers …` and the admin API run.
public struct CustomerData: Sendable {
    let storage: ShopStorage
    let clock: CheckoutClock
    /// The folder `.eml` files are written to, if any: an erasure deletes the person's.
    let mailFolder: String?
    /// Seconds an unpaid order's payment session may still be paid (`--stock-hold-minutes`): a
    /// person with a younger unpaid order is not erased yet.
    let paymentWindow: Int

    /// Opens the database at `location` for the shop `shop` (`""`: the one shop).
    /// - Throws: `StartupError` naming the database, or a shop id that cannot be one.
    public init(
        _ location: StorageLocation, shop: String = "", mailFolder: String?, paymentWindow: Int = 30 * 60, clock: CheckoutClock = .system
    ) async throws {
        guard shop.isEmpty || ShopID.isValid(shop) else {
            throw StartupError(description: "'\(shop)' is not a shop id (1 to 64 lower-case letters, digits and dashes)")
        }
        var logger = Logger(label: "checkout.customers")
        logger.logLevel = .warning
        self.init(
            storage: ShopStorage(try await location.open(logger: logger), shop: shop), clock: clock, mailFolder: mailFolder,
            paymentWindow: paymentWindow)
    }

    init(storage: ShopStorage, clock: CheckoutClock, mailFolder: String?, paymentWindow: Int) {
        self.storage = storage
        self.clock = clock
        self.mailFolder = mailFolder
        self.paymentWindow = paymentWindow
    }

    /// The export document as JSON (sorted keys, pretty-printed).
    /// - Throws: `CheckoutError.invalid` for a malformed address; `.notFound` when nothing is held.
    public func export(_ email: String) async throws -> Data {
        let email = try EmailAddress.required(email)
        let now = clock.seconds
        let document = try await storage.read { tx in
            JSONDocument(value: try CustomerExport.document(tx, email: email, now: now))
        }.value
        guard let document else { throw CheckoutError.notFound(field: "email", message: "no customer \(Quoted(email)) in this shop") }
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    /// What an erasure did, for the operator.
    public struct Erasure: Sendable {
        /// The anonymous reference the kept orders and subscriptions now carry.
        public let reference: String
        public let orders: [String]
        public let subscriptions: [String]
        /// Rows deleted (leads, entitlements, sessions, emails…) and rows rewritten without the person.
        public let deletedRows: Int
        public let rewrittenRows: Int
        /// `.eml` files deleted from the mail folder.
        public let mailFiles: Int
        /// Whether SQLite's write-ahead log was emptied of the old pages (false when a reader held an
        /// old snapshot too long: the next checkpoint empties it; always true on PostgreSQL).
        public let logEmptied: Bool
    }

    /// Erases the person (see `CustomerErasure`), then deletes their `.eml` files and empties
    /// SQLite's write-ahead log of the old pages.
    /// - Throws: `CheckoutError.invalid` (a malformed address, a reason over 500 characters),
    ///   `.notFound` (nothing held about the address), `.conflict` (what holds the erasure back).
    public func erase(_ email: String, reason: String?) async throws -> Erasure {
        try await erase(email, reason: reason, by: StaffCredentials.cli)
    }

    func erase(_ email: String, reason: String?, by principal: StaffPrincipal) async throws -> Erasure {
        let email = try EmailAddress.required(email)
        let reason = try CustomerErasure.Request(reason: reason).checkedReason()
        let now = clock.seconds
        let openSince = now - paymentWindow
        let report = try await storage.write { tx in
            try CustomerErasure.erase(tx, email: email, reason: reason, by: principal, openSince: openSince, now: now)
        }
        // Committed: what follows cleans up after it and never makes the erasure fail.
        let (mailFolder, ids) = (mailFolder, report.emails)
        let files = (try? await BlockingWork.run { Self.deleteMail(of: email, ids: ids, in: mailFolder) }) ?? 0
        let emptied = (try? await storage.forgetOverwrittenData()) != nil
        return Erasure(
            reference: report.reference, orders: report.orders, subscriptions: report.subscriptions, deletedRows: report.deleted,
            rewrittenRows: report.rewritten, mailFiles: files, logEmptied: emptied)
    }

    /// Deletes `<id>.eml` for each of the person's emails, and any other file in the folder that
    /// names the address (an email whose row was purged before); how many.
    static func deleteMail(of email: String, ids: [String], in mailFolder: String?) -> Int {
        guard let mailFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: mailFolder) else { return 0 }
        let own = Set(ids.map { "\($0).eml" })
        let needle = Array(email.lowercased().utf8)
        var deleted = 0
        for name in names where name.hasSuffix(".eml") {
            let path = mailFolder + "/" + name
            // The byte search is a quick pre-filter for ASCII addresses; one with other letters is
            // looked for in the decoded text, case-blind on every letter.
            let mentions = own.contains(name) || FileManager.default.contents(atPath: path).map {
                (!email.allSatisfy(\.isASCII) || Self.contains(Array($0), needle))
                    && PersonalDataScrub.mentions(String(decoding: $0, as: UTF8.self), email.lowercased())
            } == true
            if mentions, (try? FileManager.default.removeItem(atPath: path)) != nil { deleted += 1 }
        }
        return deleted
    }

    /// Whether `bytes` contain `needle` (lower-case ASCII letters match either case).
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        let lowered = bytes.map { (65...90).contains($0) ? $0 | 0x20 : $0 }
        return lowered.indices.dropLast(needle.count - 1).contains { start in lowered[start..<start + needle.count].elementsEqual(needle) }
    }

    public func close() async {
        await storage.base.close()
    }
}

extension Shop {
    /// The shop's data-subject requests, over its storage and mail folder.
    var customerData: CustomerData {
        CustomerData(storage: storage, clock: clock, mailFolder: configuration.mailFolder, paymentWindow: configuration.stockHold)
    }

    /// Erases `email` as `principal` (see `CustomerData.erase`), then wakes the webhook worker for
    /// the `customer.erased` event and counts the erasure: what the admin API and the console run.
    func eraseCustomer(_ email: String, reason: String?, by principal: StaffPrincipal) async throws -> CustomerData.Erasure {
        let erasure = try await customerData.erase(email, reason: reason, by: principal)
        webhooks.notify()
        metrics.customerErased()
        return erasure
    }
}
