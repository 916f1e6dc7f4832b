import Benchmark
import Foundation
import Importers
import Localization
import Merchants
import MktCore
import Pricing

/// Data made by `Benchmarks/run.sh --swift` with gen.py (seed 42).
let dataDirectory = ProcessInfo.processInfo.environment["MKT_BENCH_DATA"] ?? "data"

/// Ten rules active at the benchmark's instant, of the kinds a marketplace runs at once:
/// scoped percentages and amounts, tiers, a daily window, a dynamic adjustment, charm rounding,
/// fixed gross for some merchants, and a code nobody gave (checked, skipped).
let rulesYAML = """
  rules:
    - {id: furniture-sale, kind: percentage_off, percent: 15, priority: 90,
       scope: {categories: ["Furniture"]},
       schedule: {start: "2026-11-01T00:00", end: "2026-12-01T00:00", timezone: Europe/Berlin}}
    - {id: apparel-10, kind: percentage_off, percent: 10, priority: 80,
       scope: {categories: ["Apparel & Accessories"]}}
    - {id: brand-push, kind: amount_off, amount: "5.00", currency: EUR, priority: 70,
       scope: {brands: ["Kähler", "Nordwind", "Fjällräven", "Le Creuset"]}}
    - {id: happy-hour, kind: percentage_off, percent: 5, priority: 60,
       schedule: {timezone: Europe/Paris, daily_from: "10:00", daily_to: "14:00"}}
    - {id: volume, kind: tiered, priority: 50,
       tiers: [{min_quantity: 3, percent: 5}, {min_quantity: 10, percent: 10}]}
    - {id: scarcity, kind: dynamic, priority: 40,
       dynamic: {signal: stock, threshold: 20, step: 8, floor: 0, ceiling: 5}}
    - {id: nordic-extra, kind: percentage_off, percent: 3, priority: 30,
       scope: {countries: [DK, SE, NO, FI]}}
    - {id: welcome, kind: amount_off, amount: "10.00", currency: EUR, code: WELCOME10,
       priority: 20, stackable: false}
    - {id: fixed-gross-eu, kind: fixed_gross, scope: {merchants: ["M0001", "M0002", "M0003"]}}
    - {id: charm-eur, kind: charm_rounding, ending: "0.99", currency: EUR}
  """

/// The first `count` products of the gen.py catalog as pricing sees them.
func catalogProducts(_ count: Int) throws -> [PricedProduct] {
  let reader = try FeedReader(path: dataDirectory + "/catalog-100k.csv")
  var record = ProductRecord(location: InputLocation(), item: 0)
  var products: [PricedProduct] = []
  // A merchant's home: Germany for euro prices, else the country of the currency.
  func home(_ currency: CurrencyCode) -> CountryCode {
    currency == .eur
      ? CountryCode.all[3] : CountryCode.all.first { $0.currency == currency } ?? CountryCode.all[3]
  }
  while products.count < count, try reader.next(into: &record) {
    guard case .success(let price) = FeedPrice.parse(record[.price]),
      let currency = CurrencyCode(price.currency)
    else { continue }
    var product = PricedProduct(
      merchantID: record.values.last ?? "", id: record[.id],
      price: Money(minorUnits: price.minorUnits, currency: currency),
      basis: products.count % 5 == 0 ? .net : .gross,
      merchantCountry: home(currency))
    product.brand = record[.brand]
    product.category =
      record[.googleProductCategory].isEmpty
      ? record[.productType] : record[.googleProductCategory]
    product.available = products.count % 40
    products.append(product)
  }
  return products
}

/// ECB rates of 2025-02-25 (examples/ecb/eurofxref-daily.xml).
func rates() throws -> [CurrencyCode: ExactDecimal] {
  let path = dataDirectory + "/../../examples/ecb/eurofxref-daily.xml"
  let file = try ECBRateFile(
    bytes: Array(FileManager.default.contents(atPath: path) ?? Data()), file: path)
  var rates: [CurrencyCode: ExactDecimal] = [:]
  for rate in file.rates { if let code = CurrencyCode(rate.currency) { rates[code] = rate.rate } }
  return rates
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    maxDuration: .seconds(20), maxIterations: 5)

  // 40,000 catalog products × the 25 countries = 1M single-item quotes, 10 active rules, without
  // the written trace (bulk quoting; `mkt pricing explain` writes it).
  Benchmark(
    "pricing quote, 1M product-country pairs, 10 rules",
    configuration: .init(scalingFactor: .mega)
  ) { benchmark, setup in
    let (engine, products, rates) = setup
    let instant = ISO8601DateFormatter().date(from: "2026-11-25T11:00:00Z") ?? Date()
    let activity = engine.activity(at: instant)
    let countries = CountryTable.shipped
    benchmark.startMeasurement()
    var total: Int64 = 0
    for product in products {
      for country in countries {
        var request = QuoteRequest(
          lines: [QuoteRequest.Line(product: product, quantity: 1)], country: country,
          at: instant)
        request.rates = rates
        request.explain = false
        total &+= try engine.quote(request, activity: activity).total.minorUnits
      }
    }
    benchmark.stopMeasurement()
    blackHole(total)
  } setup: {
    (
      try PricingEngine(rules: try RuleFile.read(rulesYAML, file: "bench.yaml")),
      try catalogProducts(40_000), try rates()
    )
  }

  // Amounts formatted, spread over all 33 shipped locales and the ten currencies.
  Benchmark(
    "locale format, 1M amounts", configuration: .init(scalingFactor: .mega)
  ) { benchmark, formats in
    var bytes = 0
    let currencies = CurrencyCode.all
    benchmark.startMeasurement()
    for index in benchmark.scaledIterations {
      let format = formats[index % formats.count]
      let money = Money(
        minorUnits: Int64(index &* 7919 % 10_000_000),
        currency: currencies[index % currencies.count])
      bytes &+= format.format(money).utf8.count
    }
    benchmark.stopMeasurement()
    blackHole(bytes)
  } setup: {
    try LocaleFormat.all.map { try LocaleFormat($0) }
  }
}
