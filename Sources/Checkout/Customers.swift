import ArgumentParser
import CheckoutKit
import Foundation

/// `checkout customers …`: a data subject's requests (GDPR art. 15 and 17).
struct Customers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export everything held about a customer, or erase them.", subcommands: [Export.self, Erase.self])

    static func data<T>(
        _ database: Webhooks.DatabaseOption, mailDir: String?, paymentWindow: Int = 30 * 60, _ body: (CustomerData) async throws -> T
    ) async throws -> T {
        try await using(try await CustomerData(database.location, shop: database.shop, mailFolder: mailDir, paymentWindow: paymentWindow), body)
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print (or write) one JSON document with everything the shop holds about EMAIL.")
        @OptionGroup var database: Webhooks.DatabaseOption
        @Argument(help: "The customer's email address (any case).") var email: String
        @Option(name: .shortAndLong, help: "Write the document to this file instead of standard output.") var output: String?

        func run() async throws {
            let document = try await report { try await Customers.data(database, mailDir: nil) { try await $0.export(email) } }
            if let output {
                try await report {
                    do { try document.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                        throw ValidationError("--output: cannot write \(output): \(error.localizedDescription)")
                    }
                }
                print("wrote \(output) (\(document.count) bytes)")
            } else {
                FileHandle.standardOutput.write(document)
                print()
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Erase EMAIL: orders and subscriptions are kept under an anonymous reference; leads, entitlements, sessions, \
            emails and .eml files are deleted; stored events and the audit log are rewritten without the address.
            """)
        @OptionGroup var database: Webhooks.DatabaseOption
        @Argument(help: "The customer's email address (any case).") var email: String
        @Option(help: "Why (kept in the audit log), e.g. \"erasure request of 2026-12-01\".") var reason: String?
        @Option(help: """
            The folder `checkout serve` writes .eml files to (env CHECKOUT_MAIL_DIR; with --shop, the shop's folder inside it, \
            as `checkout serve --shops` writes them).
            """)
        var mailDir: String = ProcessInfo.processInfo.environment["CHECKOUT_MAIL_DIR"] ?? "var/mail"
        @Option(help: "As `checkout serve` has it: an unpaid order younger than this may still be paid, and the customer is not erased yet.")
        var stockHoldMinutes: Int = 30

        func validate() throws {
            guard (30...1_380).contains(stockHoldMinutes) else {
                throw ValidationError("--stock-hold-minutes: \(stockHoldMinutes) is not from 30 to 1380 (as `checkout serve` takes it)")
            }
        }

        func run() async throws {
            let folder = database.shop.isEmpty ? mailDir : mailDir + "/" + database.shop
            let erasure = try await report {
                try await Customers.data(database, mailDir: folder, paymentWindow: stockHoldMinutes * 60) { try await $0.erase(email, reason: reason) }
            }
            print("erased \(email): now \(erasure.reference)")
            print("kept \(erasure.orders.count) orders and \(erasure.subscriptions.count) subscriptions under that reference")
            print("deleted \(erasure.deletedRows) rows and \(erasure.mailFiles) .eml files; rewrote \(erasure.rewrittenRows) stored events and audit entries")
            if !erasure.logEmptied {
                print("note: SQLite's write-ahead log still holds old pages (a reader held an old snapshot); the service's next checkpoint empties it")
            }
        }
    }
}
