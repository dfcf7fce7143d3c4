import ArgumentParser
import CheckoutKit
import Foundation

/// `checkout admin …`: who may use the admin API and the console at /admin/.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage admin API keys, console staff and read the audit log.", subcommands: [KeysCommand.self, Staff.self, Audit.self])

    /// Runs `body` over the shop's credentials, closing the database after.
    static func credentials<T>(_ database: Webhooks.DatabaseOption, _ body: (StaffCredentials) async throws -> T) async throws -> T {
        try await using(try await StaffCredentials(database.location, shop: database.shop), body)
    }

    static func time(_ seconds: Int?) -> String {
        seconds.map { Date(timeIntervalSince1970: TimeInterval($0)).ISO8601Format() } ?? "never"
    }

    struct KeysCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "Admin API keys: create (shown once), list, revoke.", subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a key; prints its secret, which is never shown again.")
            @OptionGroup var database: Webhooks.DatabaseOption
            @Option(help: "owner (everything), support (read, refund, resend, grant) or analyst (dashboard and reports, no personal data).")
            var role: StaffRole
            @Option(help: "What the key is for, shown in lists and the audit log.") var name: String = "API key"

            func run() async throws {
                let (key, secret) = try await report { try await Admin.credentials(database) { try await $0.createKey(name: name, role: role) } }
                print("created \(key.id) (\(key.name)), role \(key.role.rawValue)")
                print("secret (shown once; store it now): \(secret)")
                print("use it as: Authorization: Bearer \(secret)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List keys with their last use.")
            @OptionGroup var database: Webhooks.DatabaseOption

            func run() async throws {
                let keys = try await report { try await Admin.credentials(database) { try await $0.keys() } }
                if keys.isEmpty { print("no keys") }
                for key in keys {
                    let state = key.revokedAt.map { "revoked \(Admin.time($0))" } ?? "active"
                    print("\(key.id)  \(key.role.rawValue)  \(key.name)  created \(Admin.time(key.createdAt))  last used \(Admin.time(key.lastUsedAt))  \(state)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a key: it stops working at once.")
            @OptionGroup var database: Webhooks.DatabaseOption
            @Argument(help: "The key id (key_…).") var id: String

            func run() async throws {
                try await report { try await Admin.credentials(database) { try await $0.revokeKey(id) } }
                print("revoked \(id)")
            }
        }
    }

    struct Staff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staff who sign in to /admin/ by emailed link: add (or change a role), list, remove.",
            subcommands: [Add.self, List.self, Remove.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a member of staff, or change their role.")
            @OptionGroup var database: Webhooks.DatabaseOption
            @Argument(help: "Their email address.") var email: String
            @Option(help: "owner, support or analyst.") var role: StaffRole

            func run() async throws {
                try await report { try await Admin.credentials(database) { try await $0.addStaff(email: email, role: role) } }
                print("\(email.lowercased()) is \(role.rawValue); they sign in at /admin/login")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List staff.")
            @OptionGroup var database: Webhooks.DatabaseOption

            func run() async throws {
                let staff = try await report { try await Admin.credentials(database) { try await $0.staff() } }
                if staff.isEmpty { print("no staff") }
                for member in staff { print("\(member.email)  \(member.role.rawValue)  added \(Admin.time(member.addedAt))") }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a member of staff and end their console sessions.")
            @OptionGroup var database: Webhooks.DatabaseOption
            @Argument(help: "Their email address.") var email: String

            func run() async throws {
                try await report { try await Admin.credentials(database) { try await $0.removeStaff(email: email) } }
                print("removed \(email.lowercased())")
            }
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the audit log, newest first.")
        @OptionGroup var database: Webhooks.DatabaseOption
        @Option(help: "How many entries (1-10000).") var limit: Int = 50

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit): give 1 to 10000 entries") }
        }

        func run() async throws {
            let entries = try await report { try await Admin.credentials(database) { try await $0.audit(limit: limit) } }
            if entries.isEmpty { print("no entries") }
            for entry in entries {
                print("\(Admin.time(entry.at))  \(entry.actor) (\(entry.role))  \(entry.action)  \(entry.target)\(entry.reason.map { "  reason: \($0)" } ?? "")")
            }
        }
    }
}

extension StaffRole: ExpressibleByArgument {}
