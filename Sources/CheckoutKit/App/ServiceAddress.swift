import Foundation
import Synchronization
import SiteCore

/// Where this service and its storefront are reached. The port is known only once the server runs
/// (it may be 0 = any free port), so URLs are worked out on demand.
final class ServiceAddress: Sendable {
    let configuration: CheckoutConfiguration
    let site: SiteConfig
    private let boundPort = Mutex<Int?>(nil)

    init(configuration: CheckoutConfiguration, site: SiteConfig) {
        self.configuration = configuration
        self.site = site
    }

    func serverStarted(port: Int?) { boundPort.withLock { $0 = port } }

    private var port: Int { boundPort.withLock { $0 } ?? configuration.port }

    /// How shoppers reach this service.
    var publicURL: String { configuration.publicURL ?? "http://\(configuration.publicHost ?? configuration.host):\(port)" }

    /// The storefront's origin: this service when it serves the site, else the site's base URL.
    var siteURL: String {
        if let url = configuration.siteURL { return url }
        return configuration.publicFolder != nil ? publicURL : site.baseURL
    }

    /// The origin CORS allows, when the storefront is served from somewhere else.
    var corsOrigin: String? {
        guard configuration.publicFolder == nil || configuration.siteURL != nil else { return nil }
        guard let url = URL(string: siteURL), let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }
}
