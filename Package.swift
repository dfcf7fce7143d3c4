// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "storefront",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sitegen", targets: ["SiteGen"]),
        .executable(name: "checkout", targets: ["Checkout"]),
        .executable(name: "bench-bare", targets: ["BenchBare"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(
            name: "ShopCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // What sitegen and the checkout both read: site.yaml, the Mustache engine, located diagnostics.
        .target(
            name: "SiteCore",
            dependencies: [
                "ShopCore",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // xxHash (Debian's libxxhash-dev), header only: the build cache's hashes (`StableHash`).
        .systemLibrary(name: "CXXHash", providers: [.apt(["libxxhash-dev"])]),
        // glibc's `mallopt` (malloc.h), for a one-shot build's heap (`OneShotMemory`).
        .systemLibrary(name: "CMalloc"),
        // libvips (Debian's libvips42) resizes and converts product images. VipsShim opens it on
        // first use and gives Swift fixed-argument functions over its variadic API.
        .target(name: "VipsShim", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "SiteBuilder",
            dependencies: [
                "ShopCore", "SiteCore", "CCmarkGFM", "CMalloc", "CXXHash", "VipsShim",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.embedInCode("Theme")]
        ),
        .target(
            name: "SitePreview",
            dependencies: [
                "SiteBuilder", "SiteCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SiteGen",
            dependencies: [
                "SiteBuilder", "SiteCore", "ShopCore", "SitePreview",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "CheckoutKit",
            dependencies: [
                "ShopCore", "SiteCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.embedInCode("Resources")]
        ),
        .executableTarget(
            name: "Checkout",
            dependencies: [
                "CheckoutKit", "ShopCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "BenchBare",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Generated inputs shared by the parsers' fuzz tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ShopCoreTests", dependencies: ["ShopCore", "TestSupport"]),
        .testTarget(
            name: "SiteBuilderTests",
            dependencies: [
                "SiteBuilder", "SiteCore", "ShopCore", "SitePreview", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "CheckoutKitTests",
            dependencies: [
                "CheckoutKit", "ShopCore", "SiteCore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
)

// The parsers as libFuzzer targets, only when `scripts/fuzz` builds them (STOREFRONT_FUZZ=1): they
// reach internal parsers through `@testable import`, which a release build does not allow.
if Context.environment["STOREFRONT_FUZZ"] != nil {
    package.targets.append(.executableTarget(
        name: "Fuzz",
        dependencies: ["CheckoutKit", "ShopCore", "SiteBuilder", "SiteCore", .product(name: "Crypto", package: "swift-crypto")],
        path: "Tests/Fuzz",
        exclude: ["Regressions"]))
    package.products.append(.executable(name: "fuzz", targets: ["Fuzz"]))
}
