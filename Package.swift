// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares (STYLE.md §2).
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "mkt",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "mkt", targets: ["mkt"]),
    .library(name: "MktCore", targets: ["MktCore"]),
    .library(name: "Importers", targets: ["Importers"]),
    .library(
      name: "Platform",
      targets: [
        "Store", "Merchants", "Catalog", "Search", "Inventory", "Localization", "Pricing",
        "Fraud", "Payments", "Orders", "Analytics", "Recommendations", "Access", "Remote",
        "Webhooks",
      ]),
    .library(name: "Server", targets: ["Server"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(
      url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1",
      traits: []),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
  ],
  targets: [
    .target(name: "MktCore", swiftSettings: strict),
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(name: "CSQLite"),
    // libcurl opened on first use, not linked (Sources/CCurl/include/shim.h says why); its
    // headers come from libcurl4-openssl-dev.
    .target(name: "CCurl"),
    .target(
      name: "Importers", dependencies: ["MktCore", "CLibXML2", "CZlib"],
      // The readers' hot loops touch class state per byte and per field; dynamic exclusivity
      // checks cost 8 % of a feed check (perf). Static checks stay on; tests run checked too.
      swiftSettings: strict + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
      ]),
    .target(
      name: "Store",
      dependencies: [
        "MktCore", "CMalloc", "CSQLite", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Store", swiftSettings: strict),
    .target(
      name: "Merchants",
      dependencies: [
        "MktCore", "Importers", "Store", "Search", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Merchants", swiftSettings: strict),
    .target(
      name: "Catalog",
      dependencies: [
        "MktCore", "Importers", "Store", "Merchants", "Search", "CCurl",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Catalog", swiftSettings: strict),
    .target(
      name: "Search",
      dependencies: [
        "MktCore", "Importers", "Store", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Search", swiftSettings: strict),
    .target(
      name: "Inventory",
      dependencies: [
        "MktCore", "Importers", "Store", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Inventory", swiftSettings: strict),
    .target(
      name: "Localization",
      dependencies: [
        "MktCore", "Importers", "Store", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Localization",
      // Embedded in the code, not a bundle: the binary works wherever it is copied.
      resources: [.embedInCode("Resources/cldr.json"), .embedInCode("Resources/countries.json")],
      swiftSettings: strict),
    .target(
      name: "Pricing",
      dependencies: [
        "MktCore", "Importers", "Store", "Merchants", "Localization",
        .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Pricing", swiftSettings: strict),
    .target(
      name: "Fraud",
      dependencies: [
        "MktCore", "Store", .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Fraud", swiftSettings: strict),
    .target(
      name: "Payments",
      dependencies: ["MktCore", "Store", .product(name: "GRDB", package: "GRDB.swift")],
      path: "Sources/Platform/Payments",
      // Embedded in the code, not a bundle: the binary works wherever it is copied.
      resources: [.embedInCode("Resources/methods.json")], swiftSettings: strict),
    .target(
      name: "Orders",
      dependencies: [
        "MktCore", "Importers", "Store", "Merchants", "Localization", "Pricing", "Fraud",
        "Payments", "Inventory",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Orders",
      // Export writes every byte of a CSV through a buffer; dynamic exclusivity checks cost 9 %
      // of an export (perf). Static checks stay on; tests run checked too.
      swiftSettings: strict + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
      ]),
    .target(
      name: "Analytics",
      dependencies: [
        "MktCore", "Importers", "Store", "Pricing", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Analytics", swiftSettings: strict),
    .target(
      name: "Recommendations",
      dependencies: [
        "MktCore", "Importers", "Store", "Catalog", "Inventory", "Analytics",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Recommendations", swiftSettings: strict),
    .target(
      name: "Access",
      dependencies: [
        "MktCore", "Store", "CCrypto", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Access", swiftSettings: strict),
    // The HTTP client of webhook deliveries and pushes (libcurl).
    .target(
      name: "Remote",
      dependencies: [
        "MktCore", "CCurl", "Store", "Importers", "Catalog", "Inventory", "Pricing",
        "Access",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Remote", swiftSettings: strict),
    .target(
      name: "Webhooks",
      dependencies: [
        "MktCore", "Store", "Access", "Remote", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Sources/Platform/Webhooks", swiftSettings: strict),
    // The HTTP face: routes over Platform services. No SQL and no GRDB here (DESIGN.md).
    .target(
      name: "Server",
      dependencies: [
        "MktCore", "Importers", "Store", "Merchants", "Catalog", "Search", "Inventory",
        "Localization", "Pricing", "Fraud", "Payments", "Orders", "Analytics", "Recommendations",
        "Access", "Webhooks", "Remote", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Yams", package: "Yams"),
      ],
      resources: [.embedInCode("Resources/openapi.yaml")], swiftSettings: strict),
    // The command line as a library (its entry point is `MktCommand.run(_:)`, which the tests
    // call); the executable is its two-line `main`.
    .target(
      name: "MktCLI",
      dependencies: [
        "MktCore", "Importers", "Store", "Merchants", "Catalog", "Search", "Inventory",
        "Localization", "Pricing", "Fraud", "Payments", "Orders", "Analytics", "Recommendations",
        "Access", "Webhooks", "Remote", "Server", .product(name: "Logging", package: "swift-log"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "mkt", dependencies: ["MktCLI"], swiftSettings: strict),
    .testTarget(name: "MktCoreTests", dependencies: ["MktCore"], swiftSettings: strict),
    .testTarget(
      name: "ImportersTests", dependencies: ["Importers"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "StoreTests",
      dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    .testTarget(
      name: "MerchantsTests", dependencies: ["Merchants", "Store"], swiftSettings: strict),
    .testTarget(
      name: "CatalogTests",
      dependencies: [
        "Catalog", "Merchants", "Search", "Store", "Importers", "MktCore",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "SearchTests",
      dependencies: [
        "Search", "Catalog", "Merchants", "Store", "Importers", "MktCore",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "InventoryTests",
      dependencies: ["Inventory", "Merchants", "Store", "MktCore"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "LocalizationTests",
      dependencies: ["Localization", "Importers", "Store", "MktCore"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "PricingTests",
      dependencies: ["Pricing", "Localization", "Store", "MktCore"], swiftSettings: strict),
    .testTarget(
      name: "FraudTests",
      dependencies: [
        "Fraud", "Store", "MktCore", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "OrdersTests",
      dependencies: [
        "Orders", "Fraud", "Payments", "Pricing", "Inventory", "Catalog", "Merchants",
        "Localization", "Store",
        "MktCore", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "AnalyticsTests",
      dependencies: [
        "Analytics", "Store", "MktCore", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "RecommendationsTests",
      dependencies: [
        "Recommendations", "Analytics", "Catalog", "Store", "MktCore",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "AccessTests",
      dependencies: ["Access", "Store", "MktCore", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    .testTarget(
      name: "ServerTests",
      dependencies: [
        "Server", "Access", "Store", "Merchants", "Catalog", "Search", "Orders", "Inventory",
        "Pricing", "Importers", "MktCore", "Webhooks", "Remote",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "mktTests",
      dependencies: [
        "mkt", "MktCLI", "MktCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict),
  ]
)
