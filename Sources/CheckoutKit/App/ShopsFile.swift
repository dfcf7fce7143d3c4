import Foundation
import SiteCore

/// The shops one checkout deployment serves (`checkout serve --shops shops.yaml`): a YAML mapping from
/// each shop's id to how it is reached and where its site and secrets are, or a folder of one
/// `ID.yaml` file per shop with the same fields.
///
/// ```yaml
/// books:
///   site: shops/books                 # its site folder (site.yaml, catalog, templates, files)
///   hosts: [books.example.com]        # the Host names it answers for, storefront and API
///   public: shops/books/public        # optional: a built site served from the same origin
///   public_url: https://books.example.com   # optional: how shoppers reach the checkout for it
///   site_url: https://books.example.com     # optional: the storefront's origin
///   provider: stripe                  # test (default) or stripe
///   mail_from: Books <shop@books.example.com>
///   secrets:                          # env:NAME or file:PATH, never the secret itself
///     stripe_key: env:BOOKS_STRIPE_KEY
///     webhook_secret: file:/run/secrets/books-whsec
///     download_key: env:BOOKS_DOWNLOAD_KEY
///     smtp_url: env:BOOKS_SMTP_URL
///     admin_token: env:BOOKS_ADMIN_TOKEN   # the shop's admin API; off without one
/// ```
///
/// Relative folders are relative to the shops file (or folder). Errors name the file, line and field.
public struct ShopsFile: Sendable, Equatable {
    public var shops: [ShopEntry]

    /// One shop as the file describes it; its secrets are named, not read (`SecretSource`).
    public struct ShopEntry: Sendable, Equatable {
        /// The shop's id: in URLs (`/webhooks/stripe/ID`), the database (`shop_id`), metrics and logs.
        public var id: String
        public var siteFolder: String
        /// Lower-cased host names, without a port.
        public var hosts: [String]
        public var publicFolder: String?
        public var publicURL: String?
        public var siteURL: String?
        public var provider: CheckoutConfiguration.ProviderKind
        public var mailFrom: String?
        public var stripeKey: SecretSource?
        public var webhookSecret: SecretSource?
        public var downloadKey: SecretSource?
        public var smtpURL: SecretSource?
        public var adminToken: SecretSource?
    }

    static let fields = ["site", "hosts", "public", "public_url", "site_url", "provider", "mail_from", "secrets"]
    static let secretFields = ["stripe_key", "webhook_secret", "download_key", "smtp_url", "admin_token"]

    /// Reads a shops file, or every `*.yaml` file of a folder (one shop each, named by the file).
    /// - Throws: `StartupError` naming the file, line and field of every problem found.
    public static func load(_ path: String) throws -> ShopsFile {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StartupError(description: "\(path): error: no such shops file or folder")
        }
        var shops: [ShopEntry] = []
        // Where each shop is written, to name it in a problem found across shops.
        var places: [(file: String, line: Int?)] = []
        var problems: [Diagnostic] = []
        if isFolder.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            for name in names {
                let file = path + "/" + name
                do {
                    let fields = try YAMLFields(yaml: try text(of: file), file: file)
                    shops.append(try entry(id: String(name.dropLast(5)), fields: fields, base: path))
                    places.append((file, nil))
                } catch { problems += error.diagnostics }
            }
        } else {
            do {
                let fields = try YAMLFields(yaml: try text(of: path), file: path)
                let base = (path as NSString).deletingLastPathComponent
                for id in fields.keys {
                    do {
                        guard let shop = try fields.mapping(id) else { continue }
                        shops.append(try entry(id: id, fields: shop, base: base.isEmpty ? "." : base))
                        places.append((path, fields.line(of: id)))
                    } catch { problems += error.diagnostics }
                }
            } catch { problems += error.diagnostics }
        }
        problems += duplicates(shops, places: places)
        if shops.isEmpty && problems.isEmpty { problems.append(Diagnostic(file: path, message: "no shops are listed")) }
        guard problems.isEmpty else { throw StartupError(description: problems.map(\.description).joined(separator: "\n")) }
        return ShopsFile(shops: shops)
    }

    private static func text(of file: String) throws(BuildError) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw BuildError(file: file, message: "cannot read the file") }
        return text
    }

    private static func entry(id: String, fields: YAMLFields, base: String) throws(BuildError) -> ShopEntry {
        guard ShopID.isValid(id) else {
            throw BuildError(
                file: fields.file, line: fields.lineOffset + 1, message: "'\(id)' is not a shop id",
                hint: "use 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit")
        }
        try fields.rejectUnknown(Self.fields)
        func folder(_ key: String) throws(BuildError) -> String? {
            try fields.string(key).map { $0.hasPrefix("/") ? $0 : base + "/" + $0 }
        }
        guard let site = try folder("site") else { throw fields.error("site", "shop '\(id)' needs its site folder") }
        // A final dot names the same host (`shop.example.` is `shop.example`).
        let hosts = try fields.strings("hosts").map { $0.lowercased() }.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        guard !hosts.isEmpty else { throw fields.error("hosts", "shop '\(id)' needs at least one host name") }
        for host in hosts where !Self.isHostName(host) {
            throw fields.error("hosts", "'\(host)' is not a host name", hint: "give the name alone (letters, digits, dots and dashes, or an [IPv6] address), without a scheme, path or port")
        }
        let providerName = try fields.string("provider", default: "test")
        guard let provider = CheckoutConfiguration.ProviderKind(rawValue: providerName) else {
            throw fields.error("provider", "'\(providerName)' is not a provider", hint: "use test or stripe")
        }
        var secrets: [String: SecretSource] = [:]
        if let mapping = try fields.mapping("secrets") {
            try mapping.rejectUnknown(Self.secretFields)
            for key in mapping.keys {
                guard let text = try mapping.string(key), let source = SecretSource(text, relativeTo: base) else {
                    throw mapping.error(
                        key, "expected env:NAME or file:PATH",
                        hint: "a shops file names where a secret is; the secret itself stays out of it")
                }
                secrets[key] = source
            }
        }
        if provider == .stripe {
            for key in ["stripe_key", "webhook_secret"] where secrets[key] == nil {
                throw fields.error("secrets", "shop '\(id)' takes payments with Stripe and needs secrets.\(key)")
            }
        }
        return ShopEntry(
            id: id, siteFolder: site, hosts: hosts, publicFolder: try folder("public"), publicURL: try fields.string("public_url"),
            siteURL: try fields.string("site_url"), provider: provider, mailFrom: try fields.string("mail_from"),
            stripeKey: secrets["stripe_key"], webhookSecret: secrets["webhook_secret"], downloadKey: secrets["download_key"],
            smtpURL: secrets["smtp_url"], adminToken: secrets["admin_token"])
    }

    /// A DNS name or IPv4 address (letters, digits, dots, dashes; a final dot is dropped when the
    /// file is read), or an IPv6 address in brackets.
    static func isHostName(_ host: String) -> Bool {
        if host.hasPrefix("["), host.hasSuffix("]") {
            return host.count > 2 && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        guard !host.isEmpty, host.count <= 253, !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else { return false }
        return host.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
    }

    /// A host or id claimed by two shops: which shop a request is for must never be a guess. Each
    /// problem names the second shop's file and line.
    private static func duplicates(_ shops: [ShopEntry], places: [(file: String, line: Int?)]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var ids: Set<String> = []
        var hosts: [String: String] = [:]
        for (shop, place) in zip(shops, places) {
            if !ids.insert(shop.id).inserted {
                problems.append(Diagnostic(file: place.file, line: place.line, message: "shop '\(shop.id)' is listed twice"))
            }
            for host in shop.hosts {
                if let other = hosts[host], other != shop.id {
                    problems.append(Diagnostic(
                        file: place.file, line: place.line, message: "host '\(host)' is given to both '\(other)' and '\(shop.id)'",
                        hint: "a host name belongs to one shop"))
                }
                hosts[host] = shop.id
            }
        }
        return problems
    }
}

/// Where a shop's secret comes from: an environment variable or a file, read at the shop's load.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)

    /// `env:NAME` or `file:PATH` (a relative path taken from `folder`, the shops file's); nil for anything else.
    public init?(_ text: String, relativeTo folder: String = ".") {
        if text.hasPrefix("env:"), text.count > 4 {
            self = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:"), text.count > 5 {
            let path = String(text.dropFirst(5))
            self = .file(path.hasPrefix("/") ? path : folder + "/" + path)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .environment(let name): return "the environment variable \(name)"
        case .file(let path): return "the file \(path)"
        }
    }

    /// The secret, trimmed of surrounding white space.
    /// - Throws: `StartupError` naming the variable or file when it is unset, empty or unreadable.
    func read(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let value: String?
        switch self {
        case .environment(let name): value = environment[name]
        case .file(let path): value = try? String(contentsOfFile: path, encoding: .utf8)
        }
        guard let secret = value?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw StartupError(description: "\(self) is unset, empty or unreadable")
        }
        return secret
    }
}

/// What a shop id may be: it appears in URLs, metric labels and file names.
enum ShopID {
    static func isValid(_ id: String) -> Bool {
        guard (1...64).contains(id.count), let first = id.unicodeScalars.first, first != "-" else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

extension ShopsFile.ShopEntry {
    /// The deployment's configuration as this shop runs it: its own site, URLs, provider and
    /// secrets (read now, from where the shops file says), and its own mail folder
    /// (`MAIL_DIR/ID`) when email is written to files.
    /// - Throws: `StartupError` naming the shop and the secret that could not be read.
    func configuration(
        base: CheckoutConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CheckoutConfiguration {
        func read(_ source: SecretSource?, _ field: String) throws -> String? {
            do { return try source?.read(environment: environment) } catch {
                throw StartupError(description: "shop '\(id)': secrets.\(field): \(error)")
            }
        }
        var configuration = base
        configuration.pollsQueues = false
        configuration.siteFolder = siteFolder
        configuration.publicFolder = publicFolder
        configuration.publicURL = publicURL
        configuration.publicHost = hosts[0]
        configuration.siteURL = siteURL
        configuration.provider = provider
        configuration.mailFrom = mailFrom
        configuration.mailFolder = base.mailFolder + "/" + id
        // The test provider signs its own events; a random secret per shop and run is enough there.
        configuration.webhookSecret = try read(webhookSecret, "webhook_secret") ?? (UUID().uuidString + UUID().uuidString)
        configuration.stripeSecretKey = try read(stripeKey, "stripe_key")
        configuration.downloadSecret = try read(downloadKey, "download_key")
        configuration.smtpURL = try read(smtpURL, "smtp_url") ?? base.smtpURL
        if let url = configuration.smtpURL, !url.isEmpty {
            do { _ = try SMTPConfiguration.parse(url) } catch {
                throw StartupError(description: "shop '\(id)': \(smtpURL.map { "secrets.smtp_url (\($0))" } ?? "--smtp-url") is not usable: \(error)")
            }
        }
        // Never the deployment's: one shop's operator holds no key to another's.
        configuration.adminToken = try read(adminToken, "admin_token")
        return configuration
    }
}
