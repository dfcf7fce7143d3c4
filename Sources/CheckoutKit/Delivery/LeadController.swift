import Foundation
import Hummingbird
import ShopCore

/// Lead magnets: `POST /api/leads` (JSON or a plain form) asks for a free file; the emailed link
/// `GET /leads/confirm/{token}` confirms the address and sends the shopper to the download.
struct LeadController: Sendable {
    let shop: Shop

    /// `email`, `magnet` (a lead magnet's slug) and, from the page's form, `return_to`.
    struct LeadRequest: Decodable {
        let email: String?
        let magnet: String?
        let returnTo: String?

        enum CodingKeys: String, CodingKey {
            case email, magnet
            case returnTo = "return_to"
        }
    }

    @Sendable func create(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await FormProblem.answering(request, back: shop.siteURL + "/free/") {
            try await ask(request, context: context)
        }
    }

    private func ask(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.formOrJSON(LeadRequest.self, from: request, context: context)
        let magnetSlug = body.value.magnet ?? ""
        guard let magnet = shop.catalog.leadMagnetsBySlug[magnetSlug] else {
            throw CheckoutError.invalid(field: "magnet", message: "\(Quoted(magnetSlug)) is not a free printable of this shop")
        }
        let email = try EmailAddress.required(body.value.email)
        let now = shop.clock.seconds
        if let wait = try await shop.limiter.hit([
            ("lead-ip:" + shop.clientAddress(request, context: context), shop.configuration.leadLimitPerIP),
            ("lead-email:" + email, shop.configuration.leadLimitPerAddress),
        ], now: now) {
            throw CheckoutError.tooManyRequests(retryAfter: wait)
        }
        let confirmBase = shop.address.publicURL + "/leads/confirm/"
        let templates = shop.templates
        let shopName = shop.shopName
        try await shop.storage.write { tx in
            guard let lead = try tx.leads.findOrAdd(email: email, magnet: magnet.slug, now: now) else { return }
            // The same address twice is one lead; the confirmation goes again at most every ten minutes.
            guard now - lead.lastSentAt >= 600 else { return }
            let (subject, text) = templates.render(.leadConfirmation, [
                "shop": .text(shopName), "magnet": .text(magnet.title), "confirm_url": .text(confirmBase + lead.token),
            ])
            try tx.outbox.enqueue(key: "lead:\(lead.id):\(now)", to: email, subject: subject, body: text, now: now)
            try tx.leads.markSent(lead.id, at: now)
        }
        shop.mail.notify()
        if body.isForm {
            let back = safeReturnPath(body.value.returnTo, fallback: SitePathsForCheckout.magnet(magnet.slug))
            return .redirect(to: shop.siteURL + back + "#lead-sent", type: .found)
        }
        return try jsonResponse(["status": "confirmation_sent", "email": email], status: .accepted)
    }

    @Sendable func confirm(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let now = shop.clock.seconds
        let delivery = shop.delivery
        let effects = shop.effects
        let found = try await shop.storage.write { tx -> (email: String, magnet: String, id: String)? in
            guard let lead = try tx.leads.find(token: token) else { return nil }
            // Confirmed once, even when the link is followed twice at once.
            if try tx.leads.confirm(lead.id, at: now) {
                let (granted, revoked) = try delivery.ledger.sync(tx, email: lead.email, now: now)
                try effects.announce(granted: granted, revoked: revoked, email: lead.email, tx: tx, now: now)
                try OutgoingEvents.enqueue(tx, type: "lead.confirmed", data: ["id": lead.id, "email": lead.email, "magnet": lead.magnet], now: now)
            }
            return (lead.email, lead.magnet, lead.id)
        }
        guard let found else {
            return MessagePage.response(
                status: .notFound, title: "This confirmation link is not valid",
                message: "It may have been cut short. Ask for the free printable again and use the newest email.",
                link: ("Back to the free printables", shop.siteURL + "/free/"))
        }
        shop.leadsConfirmed()
        shop.webhooks.notify()
        let entitlement = Entitlement(item: "magnet:" + found.magnet, cause: "lead:" + found.id)
        guard let link = delivery.links.links(email: found.email, entitlement: entitlement, now: now).first else {
            return MessagePage.response(status: .ok, title: "Thank you", message: "Your address is confirmed.")
        }
        return .redirect(to: link.url, type: .found)
    }
}

/// The storefront paths the checkout links back to (the site's URL scheme).
enum SitePathsForCheckout {
    static func magnet(_ slug: String) -> String { "/free/\(slug)/" }
}
