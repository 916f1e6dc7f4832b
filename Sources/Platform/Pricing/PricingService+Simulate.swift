public import Foundation
import GRDB
import Localization
import MktCore
import Store

extension PricingService {
  /// How a rules file would change prices, before it is loaded.
  public struct Simulation: Sendable, Equatable, Encodable {
    /// One product whose price would change.
    public struct Change: Sendable, Equatable, Encodable {
      public var merchantID: String
      public var productID: String
      public var before: String
      public var after: String
      /// The change in percent of the price before, two decimals.
      public var percent: String

      enum CodingKeys: String, CodingKey {
        case before, after, percent
        case merchantID = "merchant_id"
        case productID = "product_id"
      }
    }

    public var country: String
    public var currency: String
    public var sampled: Int
    public var changed: Int
    public var lower: Int
    public var higher: Int
    /// The mean change over changed products, percent, two decimals.
    public var averagePercent: String
    /// Products each rule of the file applied to.
    public var applications: [String: Int]
    /// The largest decreases and increases.
    public var largest: [Change]

    enum CodingKeys: String, CodingKey {
      case country, currency, sampled, changed, lower, higher, applications, largest
      case averagePercent = "average_percent"
    }
  }

  /// Quotes `sample` catalog products (evenly spread) in `country` with the stored rules and
  /// with the stored rules plus `file`'s (replacing same ids), one unit each, and compares.
  public func simulate(
    _ text: String, file: String, sample: Int, country: String, at instant: Date? = nil
  ) async throws -> Simulation {
    let instant = instant ?? store.clock.now()
    let incoming = try RuleFile.read(text, file: file)
    let stored = try await rules()
    let replaced = Set(incoming.map(\.id))
    let countries = try await LocaleService(store: store).countries()
    guard let code = CountryCode(country), let target = countries.first(where: { $0.code == code })
    else { throw LocalizationError.unknownCountry(country) }
    let before = try PricingEngine(rules: stored, countries: countries)
    let after = try PricingEngine(
      rules: stored.filter { !replaced.contains($0.id) } + incoming, countries: countries)
    let limit = max(1, sample)
    let day = UTCTime.day(instant)
    let (products, rates) = try await store.read { db in
      let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0
      let step = max(1, total / limit)
      let rows = try Row.fetchAll(
        db,
        sql: Self.productColumns
          + " WHERE p.price_minor IS NOT NULL AND p.doc % ? = 0 ORDER BY p.doc LIMIT ?",
        arguments: [step, limit])
      return (try rows.map(Self.pricedProduct), try Self.rates(db, on: day))
    }
    let activityBefore = before.activity(at: instant)
    let activityAfter = after.activity(at: instant)
    var changes: [Simulation.Change] = []
    var applications: [String: Int] = [:]
    var percentSum: Int64 = 0
    var lower = 0
    var higher = 0
    for product in products {
      var request = QuoteRequest(
        lines: [QuoteRequest.Line(product: product, quantity: 1)], country: target,
        at: instant)
      request.rates = rates
      guard let old = try? before.quote(request, activity: activityBefore),
        let new = try? after.quote(request, activity: activityAfter)
      else { continue }
      for rule in Set(new.applied.map(\.rule)) where replaced.contains(rule) {
        applications[rule, default: 0] += 1
      }
      let was = old.total.minorUnits
      let now = new.total.minorUnits
      guard was != now else { continue }
      if now < was { lower += 1 } else { higher += 1 }
      // Basis points of change, half-even.
      let basis = was == 0 ? 0 : Rounding.halfEven((now - was) * 10_000, dividedBy: was)
      percentSum += basis
      changes.append(
        Simulation.Change(
          merchantID: product.merchantID, productID: product.id,
          before: old.total.decimalString, after: new.total.decimalString,
          percent: ExactDecimal(significand: basis, scale: 2).description))
    }
    let sorted = changes.sorted {
      (ExactDecimal($0.percent)?.significand ?? 0) < (ExactDecimal($1.percent)?.significand ?? 0)
    }
    let largest =
      Array(sorted.prefix(5)) + Array(sorted.suffix(5).filter { !sorted.prefix(5).contains($0) })
    let average =
      changes.isEmpty ? 0 : Rounding.halfEven(percentSum, dividedBy: Int64(changes.count))
    return Simulation(
      country: target.code.rawValue, currency: target.currency.rawValue, sampled: products.count,
      changed: changes.count, lower: lower, higher: higher,
      averagePercent: ExactDecimal(significand: average, scale: 2).description,
      applications: applications, largest: largest)
  }
}
