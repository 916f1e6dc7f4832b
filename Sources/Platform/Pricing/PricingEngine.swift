public import Foundation
public import Localization
import Merchants
import MktCore

/// Prices products and baskets: a pure function of the rules, the request (products, country,
/// currency, time, customer, codes) and the rates and redemption counts passed in.
///
/// Order of work per line: the list price (merchant's currency and basis); the feed's sale
/// price inside its dates; price-changing rules by priority (highest first, then id), each
/// unit price rounded half-even to minor units; conversion to the quote's currency; VAT of the
/// shipping country (a gross-priced merchant's price is first taken net of its own country's
/// VAT, unless a `fixed_gross` rule keeps the gross); charm rounding; bundles across lines;
/// the line total. Cash rounding (CHF 0.05) applies to the payable total only.
public struct PricingEngine: Sendable {
  let rules: [CompiledRule]
  let countries: [CountryCode: Country]
  /// Whether any rule is scoped by brand or by category (else lines skip lower-casing them).
  let scopesBrand: Bool
  let scopesCategory: Bool
  /// Indices of the basket-level rules.
  let bundleRules: [Int]
  let shippingRules: [Int]

  /// - Throws: ``PricingError/invalidRules(_:message:)`` for a rule that does not compile.
  public init(rules: [PricingRule], countries: [Country] = CountryTable.shipped)
    throws(PricingError)
  {
    var compiled: [CompiledRule] = []
    for rule in rules { compiled.append(try CompiledRule(rule)) }
    let sorted = compiled.sorted {
      $0.rule.priority != $1.rule.priority
        ? $0.rule.priority > $1.rule.priority : $0.rule.id < $1.rule.id
    }
    self.countries = Dictionary(countries.map { ($0.code, $0) }) { _, last in last }
    self.rules = sorted
    scopesBrand = sorted.contains { !$0.brands.isEmpty }
    scopesCategory = sorted.contains { !$0.categories.isEmpty }
    bundleRules = sorted.indices.filter { sorted[$0].rule.kind == .bundle }
    shippingRules = sorted.indices.filter { sorted[$0].rule.kind == .freeShipping }
  }

  /// The rules that need a promo code.
  public var codeRules: [PricingRule] { rules.filter { $0.code != nil }.map(\.rule) }

  /// Which rules are outside their schedule at an instant, computed once for many quotes.
  public struct Activity: Sendable {
    let at: Date
    let inactive: [String?]
    let day: String
    /// `at` as ISO 8601 UTC.
    let iso: String
    /// Each country's VAT period on `day`, by ``CountryCode/ordinal``.
    let vat: [Country.VATPeriod?]
  }

  /// The schedule state of every rule at `instant`.
  public func activity(at instant: Date) -> Activity {
    let iso = UTCTime.iso(instant)
    let day = String(iso.prefix(10))
    return Activity(
      at: instant, inactive: rules.map { $0.inactive(at: instant) }, day: day, iso: iso,
      vat: CountryCode.all.map { countries[$0]?.vat(on: day) })
  }

  /// Prices `request`.
  ///
  /// - Throws: ``PricingError/invalidRequest(_:)`` for a quantity below 1, a missing rate, or
  ///   amounts that overflow 64-bit minor units.
  public func quote(_ request: QuoteRequest) throws(PricingError) -> Quote {
    try quote(request, activity: activity(at: request.at))
  }

  /// Prices `request` with rule activity computed beforehand (``activity(at:)``).
  public func quote(_ request: QuoteRequest, activity: Activity) throws(PricingError) -> Quote {
    var evaluation = Evaluation(engine: self, request: request, activity: activity)
    return try evaluation.run()
  }
}
