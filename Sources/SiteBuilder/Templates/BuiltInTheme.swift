/// The theme compiled into `sitegen`, so a site with no `templates/` or `assets/` still renders.
enum BuiltInTheme {
    static let templates: [(String, [UInt8])] = [
        ("base", PackageResources.base_mustache),
        ("header", PackageResources.header_mustache),
        ("footer", PackageResources.footer_mustache),
        ("breadcrumbs", PackageResources.breadcrumbs_mustache),
        ("product-card", PackageResources.product_card_mustache),
        ("bundle-card", PackageResources.bundle_card_mustache),
        ("picture", PackageResources.picture_mustache),
        ("pagination", PackageResources.pagination_mustache),
        ("lead-form", PackageResources.lead_form_mustache),
        ("home", PackageResources.home_mustache),
        ("shop", PackageResources.shop_mustache),
        ("niche", PackageResources.niche_mustache),
        ("product", PackageResources.product_mustache),
        ("bundles", PackageResources.bundles_mustache),
        ("bundle", PackageResources.bundle_mustache),
        ("plans", PackageResources.plans_mustache),
        ("free", PackageResources.free_mustache),
        ("magnet", PackageResources.magnet_mustache),
        ("page", PackageResources.page_mustache),
        ("cart", PackageResources.cart_mustache),
        ("thank-you", PackageResources.thank_you_mustache),
        ("account", PackageResources.account_mustache),
        ("search", PackageResources.search_mustache),
        ("not-found", PackageResources.not_found_mustache),
    ]

    /// Assets by their path under `assets/`.
    static let assets: [(String, [UInt8])] = [
        ("style.css", PackageResources.style_css),
        ("shop.js", PackageResources.shop_js),
        ("images/logo.svg", PackageResources.logo_svg),
        ("images/mark.svg", PackageResources.mark_svg),
        ("images/favicon.svg", PackageResources.favicon_svg),
        ("images/placeholder.svg", PackageResources.placeholder_svg),
    ]
}
