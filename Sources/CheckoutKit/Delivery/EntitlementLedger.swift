import ShopCore

/// Reads what is stored about a customer, works out their entitlements with `EntitlementRules`, and
/// records every grant and revocation with its cause.
struct EntitlementLedger: Sendable {
    let catalog: @Sendable () -> CatalogIndex
    /// Seconds a past-due subscription keeps access after its paid period ends.
    let grace: Int

    /// What `email` may download at `now`: what `EntitlementRules` derives from their purchases,
    /// subscriptions and leads, then the overrides staff put in force by hand (a grant adds the item
    /// with the cause `manual:ID`; a revocation removes the causes the item had when it was made, so
    /// buying the product again later gives it back).
    func current(_ tx: StorageTransaction, email: String, now: Int) throws -> Set<Entitlement> {
        var result = EntitlementRules.entitlements(
            purchases: try tx.entitlements.purchases(email: email), subscriptions: try tx.subscriptions.facts(email: email),
            leads: try tx.leads.facts(email: email), catalog: catalog(), now: now, grace: grace)
        for override in try tx.overrides.active(email: email) {
            switch override.effect {
            case .grant: result.insert(Entitlement(item: override.item, cause: "manual:" + override.id))
            case .revoke: result = result.filter { $0.item != override.item || !override.causes.contains($0.cause) }
            }
        }
        return result
    }

    /// Brings the recorded entitlements of `email` up to date; returns what was granted and revoked.
    func sync(_ tx: StorageTransaction, email: String, now: Int) throws -> (granted: [Entitlement], revoked: [Entitlement]) {
        try tx.entitlements.lock(email: email)
        let wanted = try current(tx, email: email, now: now)
        let recorded = try tx.entitlements.recorded(email: email)
        let granted = wanted.subtracting(recorded).sorted()
        let revoked = recorded.subtracting(wanted).sorted()
        for entitlement in granted { try tx.entitlements.grant(entitlement, to: email, now: now) }
        for entitlement in revoked { try tx.entitlements.revoke(entitlement, from: email, now: now) }
        return (granted, revoked)
    }
}
