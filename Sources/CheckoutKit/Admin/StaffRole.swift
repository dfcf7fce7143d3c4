/// What a member of staff or an API key may do, as Shopify's staff permissions and Stripe's
/// restricted keys divide it:
/// - `owner`: everything, including webhook endpoints, keys and erasing data;
/// - `support`: read everything, refund, resend receipts, grant and revoke entitlements by hand,
///   export a customer's data;
/// - `analyst`: the dashboard and the order list, read-only, with customers' addresses masked.
public enum StaffRole: String, CaseIterable, Sendable, Codable {
    case owner, support, analyst

    /// Whether this role may do `action`.
    public func allows(_ action: AdminPermission) -> Bool {
        switch self {
        case .owner: return true
        case .support: return ![.manageWebhooks, .manageKeys, .erasePersonalData].contains(action)
        case .analyst: return action == .readReports
        }
    }

    /// Whether this role sees customers' email addresses (an analyst sees `j•••@•••.com`).
    public var seesPersonalData: Bool { self != .analyst }
}

/// One thing the admin API or console does; each route names the one it needs.
public enum AdminPermission: String, Sendable {
    /// The dashboard, its CSV, and orders and subscriptions with addresses masked.
    case readReports = "read_reports"
    /// Customers, leads, the audit log, webhook endpoints and everything else, in full.
    case read
    case refund
    case resendReceipt = "resend_receipt"
    /// Mark a manual or webhook delivery delivered.
    case fulfil
    case grantEntitlements = "grant_entitlements"
    /// Create, rotate and delete outgoing webhook endpoints; redeliver an event.
    case manageWebhooks = "manage_webhooks"
    /// List and revoke API keys, add and remove staff.
    case manageKeys = "manage_keys"
    /// Export everything held about a customer (GDPR art. 15).
    case exportPersonalData = "export_personal_data"
    /// Erase a customer (GDPR art. 17).
    case erasePersonalData = "erase_personal_data"
}

/// Who is acting: an API key, a signed-in member of staff, or the deployment's `--admin-token`.
public struct StaffPrincipal: Sendable, Equatable {
    /// What the audit log records as the actor: `key:ID (name)`, `staff:EMAIL` or `admin-token`.
    public let actor: String
    public let role: StaffRole
    /// The console session's CSRF token, for a signed-in member of staff; nil for a bearer key.
    public let csrf: String?

    /// `email` as this principal may see it: whole, or masked for a role without personal data.
    public func shows(_ email: String) -> String {
        role.seesPersonalData ? email : Self.mask(email)
    }

    /// `jane@example.com` → `j•••@•••.com`: the domain would name the person on a domain of their own.
    static func mask(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at > email.startIndex else { return "•••" }
        let tld = email[email.index(after: at)...].split(separator: ".").last.map { "." + $0 } ?? ""
        return String(email[email.startIndex]) + "•••@•••" + tld
    }
}
