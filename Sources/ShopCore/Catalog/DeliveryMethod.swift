/// How a paid product reaches its buyer (the seeds' "email, file, webhook" methods), `delivery:` in
/// the catalog.
public enum DeliveryMethod: String, Hashable, Sendable, Codable, CaseIterable {
    /// Its files, by signed download link (the default): delivered when paid.
    case file
    /// One licence key per unit, from the SKU's pool (`checkout keys import`) or made from the
    /// product's `license-pattern`: delivered when the keys are assigned; revoked with a refund.
    case licenseKey = "license-key"
    /// The paid line POSTed, signed, to the operator's fulfilment endpoint (an outgoing webhook
    /// subscribed to `fulfilment.requested`), retried: delivered when it answers 2xx.
    case webhook
    /// The operator delivers and marks it delivered (admin API).
    case manual
}

/// Licence keys made from a pattern: each `X` becomes one of 32 letters and digits (no `0`, `O`,
/// `1`, `I`, so a key read aloud is not misheard), every other character stays, e.g.
/// `MSP-XXXX-XXXX-XXXX` → `MSP-7KQ2-H9WD-3RTA`. At least 12 `X`s (60 bits) are required, so keys
/// cannot be guessed.
public enum LicensePattern {
    public static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    public static let minimumRandomCharacters = 12

    /// Whether `pattern` makes keys that cannot be guessed.
    public static func isStrong(_ pattern: String) -> Bool {
        pattern.filter { $0 == "X" }.count >= minimumRandomCharacters
    }

    /// A key from `pattern`, drawn from `random` (a cryptographic generator in production).
    public static func key(_ pattern: String, using random: inout some RandomNumberGenerator) -> String {
        String(pattern.map { $0 == "X" ? alphabet[Int(random.next() % UInt64(alphabet.count))] : $0 })
    }
}
