// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for mkt's untrusted-input parsers (RELIABILITY.md §1). Build one with:
//   swift build -c debug --product CSVFuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
// and run it with Fuzz/run.sh. Each target is one file without main.swift or @main.
let package = Package(
  name: "mkt-fuzz",
  platforms: [.macOS(.v14)],
  dependencies: [.package(name: "mkt", path: "..")],
  targets: ["CSVFuzz", "XMLFuzz", "ShopifyFuzz", "ValueFuzz", "ECBFuzz", "RatingsFuzz"].map { name in
    .executableTarget(
      name: name, dependencies: [.product(name: "Importers", package: "mkt")], path: name)
  } + [
    .executableTarget(
      name: "RulesFuzz",
      dependencies: [
        .product(name: "Platform", package: "mkt"), .product(name: "MktCore", package: "mkt"),
      ],
      path: "RulesFuzz"),
    // Stock files: StockFile is internal to Inventory, reached by `@testable import` (debug).
    .executableTarget(
      name: "StockFuzz",
      dependencies: [
        .product(name: "Platform", package: "mkt"), .product(name: "MktCore", package: "mkt"),
      ],
      path: "StockFuzz"),
    .executableTarget(
      name: "OrdersFuzz",
      dependencies: [
        .product(name: "Platform", package: "mkt"), .product(name: "MktCore", package: "mkt"),
        .product(name: "Importers", package: "mkt"),
      ],
      path: "OrdersFuzz"),
    .executableTarget(
      name: "ManifestFuzz",
      dependencies: [
        .product(name: "Platform", package: "mkt"), .product(name: "MktCore", package: "mkt"),
        .product(name: "Importers", package: "mkt"),
      ],
      path: "ManifestFuzz"),
  ]
)
