import ArgumentParser
import CheckoutKit
import Foundation

/// `checkout webhooks …`: the operator's outgoing webhook endpoints and their delivery log.
struct Webhooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage endpoints that receive this shop's events.", subcommands: [Add.self, List.self, Remove.self, Deliveries.self])

    struct DatabaseOption: ParsableArguments {
        @Option(help: "SQLite database file (env CHECKOUT_DB).")
        var db: String = ProcessInfo.processInfo.environment["CHECKOUT_DB"] ?? "var/checkout.sqlite"
        @Option(
            name: .customLong("database-url"),
            help: "PostgreSQL URL, postgres://user:password@host:port/database, used instead of --db (env CHECKOUT_DATABASE_URL).")
        var databaseURLOption: String?
        /// `--database-url`, else `CHECKOUT_DATABASE_URL`.
        var databaseURL: String? { databaseURLOption ?? environment("CHECKOUT_DATABASE_URL") }
        @Option(help: "The shop of a multi-shop deployment, by its id in the shops file (env CHECKOUT_SHOP).")
        var shop: String = ProcessInfo.processInfo.environment["CHECKOUT_SHOP"] ?? ""
        @Option(name: .customLong("shops"), help: "The shops file, to check that --shop is one of its shops (env CHECKOUT_SHOPS).")
        var shopsOption: String?
        /// `--shops`, else `CHECKOUT_SHOPS`.
        var shops: String? { shopsOption ?? environment("CHECKOUT_SHOPS") }

        var location: StorageLocation {
            if let url = databaseURL { return .postgres(url: url) }
            return .sqlite(path: db)
        }

        func validate() throws {
            // The endpoints go into the database the service reads: a path that names none is a
            // mistake (a missing --db), never a new database nobody serves from.
            if databaseURL == nil, !FileManager.default.fileExists(atPath: db) {
                throw ValidationError("--db (or CHECKOUT_DB): no database at \(db); give the database `checkout serve` uses")
            }
            if let url = databaseURL, url.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--database-url (or CHECKOUT_DATABASE_URL) is empty: give a postgres:// URL, or leave it unset to use the SQLite file --db")
            }
            if let shops {
                let listed: [String]
                do { listed = try ShopsFile.load(shops).shops.map(\.id) } catch { throw ValidationError("--shops: \(error)") }
                guard !shop.isEmpty else {
                    throw ValidationError("--shop: name one of the shops in \(shops): \(listed.joined(separator: ", "))")
                }
                guard listed.contains(shop) else {
                    throw ValidationError("--shop: '\(shop)' is not a shop in \(shops): \(listed.joined(separator: ", "))")
                }
            }
        }

        /// Runs `body` over the endpoints in the database, closing it after.
        func endpoints<T>(_ body: (WebhookEndpoints) async throws -> T) async throws -> T {
            try await using(try await WebhookEndpoints(location, shop: shop), body)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an endpoint; prints its id and signing secret.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The endpoint's URL.") var url: String
        @Option(help: "Comma-separated events (\(OutgoingEvents.types.joined(separator: ", "))), or * for all.")
        var events: String = "*"

        func run() async throws {
            let endpoint = try await report { try await database.endpoints { try await $0.add(
                url: url, events: events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) } }
            print("added \(endpoint.id) → \(endpoint.url)")
            print("events: \(endpoint.events.joined(separator: ", "))")
            print("signing secret: \(endpoint.secret)")
            print("verify the Checkout-Signature header (t=…,v1=…) as you would Stripe-Signature, with this secret")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List endpoints.")
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let endpoints = try await report { try await database.endpoints { try await $0.list() } }
            if endpoints.isEmpty { print("no endpoints") }
            for endpoint in endpoints {
                print("\(endpoint.id)  \(endpoint.url)  events: \(endpoint.events.joined(separator: ","))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an endpoint and its delivery log.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The endpoint id (we_…).") var id: String

        func run() async throws {
            try await report { try await database.endpoints { try await $0.remove(id: id) } }
            print("removed \(id)")
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the delivery log, newest first.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Only this endpoint's deliveries.") var endpoint: String?
        @Option(help: "How many to show.") var limit: Int = 50

        func run() async throws {
            let deliveries = try await report { try await database.endpoints { try await $0.deliveries(endpoint: endpoint, limit: limit) } }
            if deliveries.isEmpty { print("no deliveries") }
            for delivery in deliveries {
                let time = Date(timeIntervalSince1970: TimeInterval(delivery.createdAt)).ISO8601Format()
                let outcome = delivery.lastStatus.map { "HTTP \($0)" } ?? delivery.lastError ?? "-"
                print("\(time)  \(delivery.endpointID)  \(delivery.eventType)  \(delivery.status)  attempts: \(delivery.attempts)  last: \(outcome)")
            }
        }
    }
}

/// Runs an operator command, printing a failure the way a person needs it.
func report<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        var standardError = FileHandle.standardError
        print("checkout: \(describe(error))", to: &standardError)
        throw ExitCode.failure
    }
}
