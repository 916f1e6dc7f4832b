// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "mkt-benchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "mkt", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1",
      traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "CSVReading",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Importers", package: "mkt"),
        .product(name: "Platform", package: "mkt"),
        .product(name: "MktCore", package: "mkt"),
      ],
      path: "Benchmarks/CSVReading",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "PricingQuotes",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Importers", package: "mkt"),
        .product(name: "Platform", package: "mkt"),
        .product(name: "MktCore", package: "mkt"),
      ],
      path: "Benchmarks/PricingQuotes",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "OrderPlacement",
      dependencies: [.product(name: "Platform", package: "mkt")],
      path: "Benchmarks/OrderPlacement"),
    .executableTarget(
      name: "SearchLatency",
      dependencies: [.product(name: "Platform", package: "mkt")],
      path: "Benchmarks/SearchLatency"),
    .executableTarget(
      name: "FraudScoring",
      dependencies: [.product(name: "Platform", package: "mkt")],
      path: "Benchmarks/FraudScoring"),
    .executableTarget(
      name: "RecsLatency",
      dependencies: [.product(name: "Platform", package: "mkt")],
      path: "Benchmarks/RecsLatency"),
  ]
)
