import Foundation
import Localization
import Merchants
import MktCore
import Pricing
import Testing

func country(_ code: String) -> Country {
  CountryTable.shipped.first { $0.code.rawValue == code } ?? CountryTable.shipped[0]
}

func instant(_ text: String) -> Date {
  let formatter = ISO8601DateFormatter()
  return formatter.date(from: text) ?? .distantPast
}

func product(
  _ id: String = "P1", price: String = "100.00", currency: String = "EUR",
  basis: PriceBasis = .gross, merchant: String = "acme-de", home: String = "DE"
) -> PricedProduct {
  let code = CurrencyCode(currency) ?? .eur
  var product = PricedProduct(
    merchantID: merchant, id: id,
    price: (try? Money(price, currency: code)) ?? Money(minorUnits: 0, currency: code),
    basis: basis, merchantCountry: CountryCode(home) ?? CountryCode.all[0])
  product.brand = "Nordwind"
  product.category = "Apparel & Accessories > Clothing > Outerwear"
  return product
}

func rules(_ yaml: String) throws(PricingError) -> [PricingRule] {
  try RuleFile.read(yaml, file: "rules.yaml")
}

func quote(
  _ yaml: String, _ products: [(PricedProduct, Int)] = [(product(), 1)], in code: String = "DE",
  at: String = "2026-11-25T12:00:00Z", codes: [String] = [], customer: String? = nil,
  redemptions: [String: (Int, Int)] = [:], shipping: String? = nil, currency: String? = nil
) throws -> Quote {
  let engine = try PricingEngine(rules: try rules(yaml))
  var request = QuoteRequest(
    lines: products.map { QuoteRequest.Line(product: $0.0, quantity: $0.1) },
    country: country(code),
    currency: currency.flatMap { CurrencyCode($0) }, at: instant(at))
  request.codes = codes
  request.customer = customer
  request.redemptions = redemptions.mapValues { (total: $0.0, customer: $0.1) }
  request.shipping = try shipping.map { try Money($0, currency: request.currency) }
  for (code, rate) in [("PLN", "4.1445"), ("CHF", "0.9415")] {
    if let currency = CurrencyCode(code), let value = ExactDecimal(rate) {
      request.rates[currency] = value
    }
  }
  return try engine.quote(request)
}

@Suite struct PricingEngineTests {
  @Test func percentageOffAndTheTrace() throws {
    let result = try quote(
      """
      rules:
        - id: winter
          kind: percentage_off
          percent: 20
      """)
    #expect(result.total.decimalString == "80.00")
    #expect(result.discount.decimalString == "20.00")
    #expect(result.applied.map(\.rule) == ["winter"])
    #expect(result.applied.first?.effect == "100.00 → 80.00 EUR")
    #expect(result.vat.decimalString == "12.77")  // 80 − 80 / 1.19 = 12.77
  }

  @Test func grossMerchantAcrossBordersAndFixedGross() throws {
    // 100.00 gross in DE = 84.03 net; in FR 84.03 × 1.20 = 100.84.
    let france = try quote("rules: []", in: "FR")
    #expect(france.total.decimalString == "100.84")
    let fixed = try quote(
      """
      - id: same-everywhere
        kind: fixed_gross
        scope: {merchants: [acme-de]}
      """, in: "FR")
    #expect(fixed.total.decimalString == "100.00")
    #expect(fixed.net.decimalString == "83.33")
    let net = try quote("rules: []", [(product(basis: .net), 2)], in: "DE")
    #expect(net.total.decimalString == "238.00")
  }

  @Test func priorityStackingAndStop() throws {
    let stacked = try quote(
      """
      - {id: ten, kind: amount_off, amount: "10", currency: EUR, priority: 20}
      - {id: half, kind: percentage_off, percent: 50, priority: 10}
      """)
    #expect(stacked.total.decimalString == "45.00")  // (100 − 10) × 0.5, not 100 × 0.5 − 10
    let blocked = try quote(
      """
      - {id: ten, kind: amount_off, amount: "10", currency: EUR, priority: 20}
      - {id: exclusive, kind: percentage_off, percent: 50, priority: 10, stackable: false}
      """)
    #expect(blocked.total.decimalString == "90.00")
    #expect(
      blocked.skipped.contains { $0.rule == "exclusive" && $0.reason.contains("not stackable") })
    let stopped = try quote(
      """
      - {id: first, kind: percentage_off, percent: 10, priority: 20, stop_further_rules: true}
      - {id: second, kind: percentage_off, percent: 10, priority: 10}
      """)
    #expect(stopped.total.decimalString == "90.00")
    #expect(stopped.skipped.contains { $0.rule == "second" && $0.reason == "stopped by first" })
  }

  @Test func schedulesFollowTheZoneAcrossDaylightSavingChanges() throws {
    // Berlin springs forward on 2026-03-29 at 02:00 CET: 03:00 local is 01:00Z (UTC+2).
    // It falls back on 2026-10-25: 03:00 local after the change is 02:00Z (UTC+1).
    let yaml = """
      - id: summer
        kind: percentage_off
        percent: 10
        schedule: {start: "2026-03-29T03:00", end: "2026-10-25T03:00", timezone: Europe/Berlin}
      """
    #expect(try quote(yaml, at: "2026-03-29T00:59:59Z").total.decimalString == "100.00")
    #expect(try quote(yaml, at: "2026-03-29T01:00:00Z").total.decimalString == "90.00")
    #expect(try quote(yaml, at: "2026-10-25T01:59:59Z").total.decimalString == "90.00")
    #expect(try quote(yaml, at: "2026-10-25T02:00:00Z").total.decimalString == "100.00")
    let skipped = try quote(yaml, at: "2026-11-01T00:00:00Z").skipped.first
    #expect(skipped?.reason == "ended 2026-10-25T03:00 Europe/Berlin")
  }

  @Test func happyHoursAreLocalWallClockWindows() throws {
    let yaml = """
      - id: happy
        kind: percentage_off
        percent: 15
        schedule: {timezone: Europe/Paris, daily_from: "18:00", daily_to: "20:00", days: [fri]}
      """
    // Friday 2026-11-27: Paris is UTC+1, so 18:00 local is 17:00Z.
    #expect(try quote(yaml, at: "2026-11-27T16:59:00Z").total.decimalString == "100.00")
    #expect(try quote(yaml, at: "2026-11-27T17:00:00Z").total.decimalString == "85.00")
    #expect(try quote(yaml, at: "2026-11-27T18:59:00Z").total.decimalString == "85.00")
    #expect(try quote(yaml, at: "2026-11-27T19:00:00Z").total.decimalString == "100.00")
    // In July Paris is UTC+2: 18:00 local is 16:00Z.
    #expect(try quote(yaml, at: "2026-07-03T16:00:00Z").total.decimalString == "85.00")
    #expect(try quote(yaml, at: "2026-11-26T17:30:00Z").total.decimalString == "100.00")
  }

  @Test func promoCodesTheirWindowsLimitsAndMinimums() throws {
    let yaml = """
      - id: summer10
        kind: percentage_off
        percent: 10
        code: SUMMER10
        min_basket: "150"
        currency: EUR
        limits: {uses: 100, per_customer: 1}
        schedule: {end: "2026-12-01T00:00", timezone: Europe/Berlin}
      """
    let two = [(product(), 2)]
    #expect(try quote(yaml, two).total.decimalString == "200.00")  // no code given
    let used = try quote(yaml, two, codes: ["summer10"], customer: "c1")
    #expect(used.total.decimalString == "180.00")
    let small = try quote(yaml, codes: ["SUMMER10"], customer: "c1")
    #expect(small.total.decimalString == "100.00")
    #expect(small.messages == ["code SUMMER10 needs a basket of at least 150.00 EUR"])
    let late = try quote(yaml, two, at: "2026-12-02T00:00:00Z", codes: ["SUMMER10"], customer: "c1")
    #expect(late.messages.first?.hasPrefix("code SUMMER10 is not valid now: ended") == true)
    let exhausted = try quote(
      yaml, two, codes: ["SUMMER10"], customer: "c1", redemptions: ["SUMMER10": (100, 0)])
    #expect(exhausted.messages == ["code SUMMER10 has been used up"])
    let again = try quote(
      yaml, two, codes: ["SUMMER10"], customer: "c1", redemptions: ["SUMMER10": (5, 1)])
    #expect(again.messages == ["code SUMMER10 was already used by this customer"])
    let unknown = try quote(yaml, two, codes: ["NOPE"])
    #expect(unknown.messages == ["code NOPE is not valid"])
  }

  @Test func tiersBuyXGetYBundlesAndFreeShipping() throws {
    let tiers = """
      - id: volume
        kind: tiered
        tiers: [{min_quantity: 3, percent: 10}, {min_quantity: 10, percent: 20}]
      """
    #expect(try quote(tiers, [(product(), 2)]).total.decimalString == "200.00")
    #expect(try quote(tiers, [(product(), 3)]).total.decimalString == "270.00")
    #expect(try quote(tiers, [(product(), 10)]).total.decimalString == "800.00")
    let threeForTwo = "- {id: three-for-two, kind: buy_x_get_y, buy: 2, get: 1}"
    #expect(try quote(threeForTwo, [(product(), 7)]).total.decimalString == "500.00")
    let bundle = """
      - {id: set, kind: bundle, products: [P1, P2], amount: "150", currency: EUR}
      - {id: ship, kind: free_shipping, amount: "100", currency: EUR}
      """
    let pair = try quote(
      bundle, [(product("P1"), 1), (product("P2", price: "80.00"), 1)], shipping: "4.90")
    #expect(pair.subtotal.decimalString == "150.00")
    #expect(pair.shipping.decimalString == "0.00")
    #expect(pair.lines.map(\.total.decimalString) == ["83.33", "66.67"])
    let single = try quote(bundle, [(product("P2", price: "80.00"), 1)], shipping: "4.90")
    #expect(single.total.decimalString == "84.90")
  }

  @Test func charmAndCashRounding() throws {
    let charm = "- {id: charm, kind: charm_rounding, ending: \"0.99\", currency: EUR}"
    #expect(try quote(charm, [(product(price: "20.13"), 1)]).total.decimalString == "19.99")
    #expect(try quote(charm, [(product(price: "20.60"), 1)]).total.decimalString == "20.99")
    // A Swiss merchant's 19.97 CHF is payable in cash as 19.95.
    let swiss = try quote(
      "rules: []", [(product(price: "19.97", currency: "CHF", merchant: "ch", home: "CH"), 1)],
      in: "CH")
    #expect(swiss.total.decimalString == "19.97")
    #expect(swiss.payable.decimalString == "19.95")
  }

  @Test func convertsIntoTheCountrysCurrency() throws {
    // 100.00 EUR → 414.45 PLN gross at German VAT → 348.28 net → × 1.23 = 428.38 PLN.
    let poland = try quote("rules: []", in: "PL")
    #expect(poland.currency.rawValue == "PLN")
    #expect(poland.total.decimalString == "428.38")
  }

  @Test func dynamicAdjustmentIsBounded() throws {
    var scarce = product()
    scarce.available = 2
    let yaml = """
      - id: scarcity
        kind: dynamic
        dynamic: {signal: stock, threshold: 10, step: 10, floor: 0, ceiling: 5}
      """
    // step 10 % × (10 − 2) / 10 = 8 %, clamped to the 5 % ceiling.
    #expect(try quote(yaml, [(scarce, 1)]).total.decimalString == "105.00")
    #expect(try quote(yaml).skipped.first?.reason.contains("no stock signal") == true)
  }

  @Test func feedSalePriceIsABuiltInRule() throws {
    var item = product()
    item.salePrice = try Money("79.00", currency: .eur)
    item.saleEnd = instant("2026-12-01T00:00:00Z")
    let during = try quote("rules: []", [(item, 1)])
    #expect(during.total.decimalString == "79.00")
    #expect(during.applied.first?.rule == "feed-sale-price")
    #expect(
      try quote("rules: []", [(item, 1)], at: "2026-12-01T00:00:00Z").total.decimalString
        == "100.00")
  }

  @Test func scopesByCategoryPrefixBrandAndCustomerGroup() throws {
    let yaml = """
      - {id: outerwear, kind: percentage_off, percent: 10, priority: 3,
         scope: {categories: ["apparel & accessories > clothing"]}}
      - {id: shoes, kind: percentage_off, percent: 50, priority: 2,
         scope: {categories: ["Apparel & Accessories > Shoes"]}}
      - {id: vip, kind: amount_off, amount: "5", currency: EUR, priority: 1,
         scope: {customer_groups: [vip], brands: [nordwind]}}
      """
    let engine = try PricingEngine(rules: try rules(yaml))
    var request = QuoteRequest(
      lines: [QuoteRequest.Line(product: product(), quantity: 1)], country: country("DE"),
      at: instant("2026-11-25T12:00:00Z"))
    #expect(try engine.quote(request).total.decimalString == "90.00")
    request.customerGroup = "vip"
    let vip = try engine.quote(request)
    #expect(vip.total.decimalString == "85.00")
    #expect(vip.skipped.contains { $0.rule == "shoes" && $0.reason.hasPrefix("not for category") })
    request.explain = false
    let quiet = try engine.quote(request)
    #expect(quiet.total == vip.total)
    #expect(quiet.skipped.isEmpty)
  }

  @Test func badRequestsAreRefused() throws {
    #expect(throws: PricingError.self) { try quote("rules: []", [(product(), 0)]) }
    let huge = product(price: "90000000000000000")
    #expect(throws: PricingError.self) { try quote("rules: []", [(huge, 200)]) }
  }
}

@Suite struct RuleFileTests {
  @Test func unknownKindNamesTheLineAndTheValidKinds() {
    do {
      _ = try rules(
        """
        rules:
          - id: a
            kind: percentage_off
            percent: 5
          - id: b
            kind: half_price
        """)
      Issue.record("accepted an unknown kind")
    } catch {
      #expect(error.location?.line == 6)
      #expect(error.description.contains("unknown kind 'half_price'"))
      #expect(error.description.contains("percentage_off"))
    }
  }

  @Test func conflictsNameBothRules() {
    do {
      _ = try rules(
        """
        - {id: a, kind: percentage_off, percent: 5, priority: 1, stackable: false}
        - {id: b, kind: percentage_off, percent: 7, priority: 1}
        """)
      Issue.record("accepted conflicting rules")
    } catch {
      guard case .conflict(let location, let first, let second, let where_) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(location.line == 1 && first == "a" && second == "b" && where_ == "rules.yaml:2")
    }
    // Disjoint scopes or schedules do not conflict.
    #expect(
      (try? rules(
        """
        - {id: a, kind: percentage_off, percent: 5, priority: 1, stackable: false, scope: {countries: [DE]}}
        - {id: b, kind: percentage_off, percent: 7, priority: 1, scope: {countries: [FR]}}
        """))?.count == 2)
  }

  @Test(arguments: [
    ("- {id: a, kind: percentage_off}", 1, "percent"),
    ("- {id: a, kind: percentage_off, percent: 5, colour: red}", 1, "unknown key 'colour'"),
    ("- {id: a, kind: amount_off, amount: \"5\"}", 1, "currency"),
    ("- {id: a, kind: percentage_off, percent: 5, priority: high}", 1, "whole number"),
    (
      "- {id: a, kind: percentage_off, percent: 5}\n- {id: a, kind: percentage_off, percent: 6}", 2,
      "already used"
    ),
    (
      "- {id: a, kind: percentage_off, percent: 5, schedule: {timezone: Mars/Olympus}}", 1,
      "unknown timezone"
    ),
    ("- {id: a, kind: percentage_off, percent: 5, scope: {countries: [US]}}", 1, "countries"),
    ("- 5\n", 1, "not a single value"),
    ("rules:\n  - [a, b]\n", 2, "not a list"),
    // An unclosed bracket is found where the input ends.
    ("rules: [\n  {id: a, kind: }\n", 3, "YAML"),
  ])
  func invalidFilesPointAtTheLine(_ yaml: String, _ line: Int, _ fragment: String) {
    do {
      _ = try rules(yaml)
      Issue.record("accepted \(yaml)")
    } catch {
      #expect(error.location?.line == line, "\(error)")
      #expect(error.description.contains(fragment), "\(error)")
      #expect(error.exitStatus == .dataError)
    }
  }

  @Test func jsonFilesReadTheSame() throws {
    let read = try RuleFile.read(
      """
      {"rules": [{"id": "x", "kind": "percentage_off", "percent": "12.5", "priority": 3}]}
      """, file: "rules.json")
    #expect(read.first?.percent?.description == "12.5")
    #expect(read.first?.priority == 3)
  }
}

/// Hardening class 2: a few hundred bytes of anchors and aliases never expand.
@Suite struct RuleFileLimitTests {
  @Test func anAliasBombIsRefusedBeforeExpanding() {
    var levels = ["&a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for (previous, name) in zip("abcdefgh", "bcdefghi") {
      levels.append(
        "&\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
    }
    let yaml =
      "rules:\n  - id: bomb\n    kind: percentage_off\n    percent: 10\n    scope:\n"
      + "      products: [" + levels.joined(separator: ", ") + "]\n"
    #expect(yaml.utf8.count < 600)
    let started = ContinuousClock.now
    let error = #expect(throws: PricingError.self) { try RuleFile.read(yaml, file: "bomb.yaml") }
    #expect(ContinuousClock.now - started < .seconds(10), "expanding it took minutes and 11 GB")
    #expect(error?.description.contains("anchors and aliases") == true)
  }

  @Test func aFewAliasesAreFine() throws {
    let yaml = """
      rules:
        - id: a
          kind: percentage_off
          percent: 10
          scope: &shared
            brands: [Acme]
        - id: b
          kind: percentage_off
          percent: 5
          priority: 2
          scope: *shared
      """
    #expect(try RuleFile.read(yaml, file: "ok.yaml").map(\.id) == ["a", "b"])
  }
}
