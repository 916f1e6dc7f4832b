public import Foundation
package import GRDB
import Importers
public import Localization
import Merchants
package import MktCore
public import Store

/// Loaded pricing rules and quotes for catalog products: the database side of ``PricingEngine``.
public struct PricingService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  // MARK: - Rules

  /// What loading a rules file did.
  public struct LoadSummary: Sendable, Equatable, Encodable {
    public var source: String
    public var rules: Int
    public var inserted: [String]
    public var updated: [String]
    public var unchanged: Int
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
      case source, rules, inserted, updated, unchanged
      case dryRun = "dry_run"
    }

    public var line: String {
      let verb = dryRun ? "would load" : "loaded"
      return
        "\(verb) \(rules) rule\(rules == 1 ? "" : "s"): \(inserted.count) new, "
        + "\(updated.count) changed, \(unchanged) unchanged"
    }
  }

  /// Validates a rules file and stores its rules (by id: a rule of the same id is replaced), in
  /// one transaction.
  ///
  /// - Throws: ``PricingError`` with file:line for invalid rules, or a conflict with a rule in
  ///   the file or already stored (nothing stored).
  ///
  /// With an `owner` (a merchant's token on `mkt serve`), every rule must be scoped to that
  /// merchant alone and may not replace a rule of another: ``PricingError/notOwnRule(_:merchant:)``,
  /// ``PricingError/ruleIDTaken(_:)``.
  public func load(_ text: String, file: String, dryRun: Bool = false, owner: String? = nil)
    async throws -> LoadSummary
  {
    let incoming = try RuleFile.read(text, file: file)
    let stored = try await rules()
    if let owner { try Self.check(incoming, stored: stored, owner: owner) }
    let replaced = Set(incoming.map(\.id))
    var kept: [CompiledRule] = []
    for rule in stored where !replaced.contains(rule.id) { kept.append(try CompiledRule(rule)) }
    for rule in incoming {
      let compiled = try CompiledRule(rule)
      if let other = kept.first(where: { RuleValidation.conflict(compiled, $0) }) {
        let line = rule.source.flatMap { Int($0.split(separator: ":").last ?? "") }
        throw PricingError.conflict(
          InputLocation(file: file, line: line), first: rule.id, second: other.rule.id,
          secondLocation: "loaded from \(other.rule.source ?? "an earlier file")")
      }
    }
    let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var inserted: [String] = []
    var updated: [String] = []
    var rows: [(PricingRule, String)] = []
    for rule in incoming {
      var comparable = rule
      comparable.source = byID[rule.id]?.source
      if let previous = byID[rule.id], previous == comparable { continue }
      if byID[rule.id] == nil { inserted.append(rule.id) } else { updated.append(rule.id) }
      rows.append((rule, String(decoding: try encoder.encode(rule), as: UTF8.self)))
    }
    if !dryRun, !rows.isEmpty {
      let write = rows
      try await store.write { db in
        for (rule, json) in write {
          try db.execute(
            sql: """
              INSERT INTO pricing_rule (id, kind, priority, merchant_id, code, rule, source)
              VALUES (?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, priority = excluded.priority,
                merchant_id = excluded.merchant_id, code = excluded.code, rule = excluded.rule,
                source = excluded.source, loaded_at = excluded.loaded_at
              """,
            arguments: [
              rule.id, rule.kind.rawValue, rule.priority,
              rule.scope.merchants.count == 1 ? rule.scope.merchants[0] : nil,
              rule.code?.uppercased(), json, rule.source ?? file,
            ])
        }
      }
    }
    return LoadSummary(
      source: file, rules: incoming.count, inserted: inserted, updated: updated,
      unchanged: incoming.count - inserted.count - updated.count, dryRun: dryRun)
  }

  /// The stored rules, highest priority first.
  public func rules() async throws -> [PricingRule] {
    let texts = try await store.read { db in
      try String.fetchAll(db, sql: "SELECT rule FROM pricing_rule ORDER BY priority DESC, id")
    }
    let decoder = JSONDecoder()
    return try texts.map { try decoder.decode(PricingRule.self, from: Data($0.utf8)) }
  }

  /// One stored rule.
  public func rule(_ id: String) async throws -> PricingRule {
    guard let rule = try await rules().first(where: { $0.id == id }) else {
      throw PricingError.unknownRule(id)
    }
    return rule
  }

  // MARK: - Quotes

  /// A product and quantity to quote, by id (and merchant when ids repeat across merchants).
  public struct Item: Sendable, Equatable, Decodable {
    public var product: String
    public var merchant: String?
    public var quantity: Int

    public init(product: String, merchant: String? = nil, quantity: Int = 1) {
      self.product = product
      self.merchant = merchant
      self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
      case product, merchant, quantity, id, qty
    }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      product =
        try container.decodeIfPresent(String.self, forKey: .product)
        ?? container.decode(String.self, forKey: .id)
      merchant = try container.decodeIfPresent(String.self, forKey: .merchant)
      quantity =
        try container.decodeIfPresent(Int.self, forKey: .quantity)
        ?? container.decodeIfPresent(Int.self, forKey: .qty) ?? 1
    }
  }

  /// What to quote: items, where, when, for whom.
  public struct Request: Sendable {
    public var items: [Item]
    public var country: String
    public var currency: String?
    public var at: Date
    public var codes: [String] = []
    public var customer: String?
    public var customerGroup: String?
    public var shipping: String?

    public init(items: [Item], country: String, currency: String? = nil, at: Date) {
      self.items = items
      self.country = country
      self.currency = currency
      self.at = at
    }
  }

  /// Prices catalog products with the stored rules.
  ///
  /// - Throws: ``LocalizationError`` for an unknown country or currency (64);
  ///   ``PricingError/invalidRequest(_:)`` for an unknown product, a bad quantity, a currency
  ///   with no rate (65).
  public func quote(_ request: Request, rules extra: [PricingRule]? = nil) async throws -> Quote {
    let countries = try await LocaleService(store: store).countries()
    let ruleSet: [PricingRule]
    if let extra { ruleSet = extra } else { ruleSet = try await rules() }
    return try await quote(
      request,
      with: Snapshot(
        countries: countries, engine: try PricingEngine(rules: ruleSet, countries: countries)))
  }

  /// The country table and the compiled rules, read once and reused by many quotes (a server
  /// refreshes it every second instead of reading and compiling the rules per request).
  public struct Snapshot: Sendable {
    public var countries: [Country]
    public var engine: PricingEngine
  }

  /// The countries and rules as they are now, compiled.
  public func snapshot() async throws -> Snapshot {
    let countries = try await LocaleService(store: store).countries()
    return Snapshot(
      countries: countries,
      engine: try PricingEngine(rules: try await rules(), countries: countries))
  }

  /// Prices `request` with the countries and rules of `snapshot`.
  public func quote(_ request: Request, with snapshot: Snapshot) async throws -> Quote {
    let countries = snapshot.countries
    guard let code = CountryCode(request.country),
      let country = countries.first(where: { $0.code == code })
    else { throw LocalizationError.unknownCountry(request.country) }
    var currency = country.currency
    if let text = request.currency {
      guard let chosen = CurrencyCode(text) else {
        throw LocalizationError.unknownCurrency(text)
      }
      currency = chosen
    }
    let engine = snapshot.engine
    let day = UTCTime.day(request.at)
    let items = request.items
    let codes = request.codes.map { $0.uppercased() }
    let customer = request.customer
    let loaded = try await store.read { db in
      let products = try items.map { try Self.product(db, $0) }
      let rates = try Self.rates(db, on: day)
      let rateDay = try String.fetchOne(
        db, sql: "SELECT max(day) FROM currency_rate WHERE day <= ?", arguments: [day])
      var redemptions: [String: (total: Int, customer: Int)] = [:]
      for code in codes {
        let total =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM promo_redemption WHERE code = ?", arguments: [code])
          ?? 0
        let mine =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM promo_redemption WHERE code = ? AND customer = ?",
            arguments: [code, customer ?? ""]) ?? 0
        redemptions[code] = (total, mine)
      }
      return Loaded(
        products: products, rates: rates, rateDay: rateDay, redemptions: redemptions)
    }
    var quoteRequest = QuoteRequest(
      lines: zip(loaded.products, items).map {
        QuoteRequest.Line(product: $0.0, quantity: $0.1.quantity)
      }, country: country, currency: currency, at: request.at)
    quoteRequest.codes = codes
    quoteRequest.customer = customer
    quoteRequest.customerGroup = request.customerGroup
    quoteRequest.rates = loaded.rates
    quoteRequest.rateDay = loaded.rateDay
    quoteRequest.redemptions = loaded.redemptions
    if let shipping = request.shipping {
      quoteRequest.shipping = try Money(shipping, currency: currency)
    }
    return try engine.quote(quoteRequest)
  }

  private struct Loaded: @unchecked Sendable {
    var products: [PricedProduct]
    var rates: [CurrencyCode: ExactDecimal]
    var rateDay: String?
    var redemptions: [String: (total: Int, customer: Int)]
  }

  package static let productColumns = """
    SELECT p.merchant_id, p.id, p.price_minor, p.sale_price_minor, p.currency, p.brand,
      coalesce(p.google_product_category, p.product_type) AS category,
      CASE WHEN p.sale_price_minor IS NULL THEN NULL
        ELSE json_extract(p.attributes, '$.sale_price_effective_date') END AS sale_window,
      m.price_basis, m.country,
      (SELECT sum(s.on_hand) FROM stock s WHERE s.merchant_id = p.merchant_id AND s.sku = p.id)
        AS available,
      p.title
    FROM product p JOIN merchant m ON m.id = p.merchant_id
    """

  package static func product(_ db: Database, _ item: Item) throws -> PricedProduct {
    let statement = try db.cachedStatement(
      sql: productColumns + " WHERE p.id = ?"
        + (item.merchant == nil ? "" : " AND p.merchant_id = ?") + " LIMIT 2")
    let rows = try Row.fetchAll(
      statement,
      arguments: StatementArguments([item.product] + (item.merchant.map { [$0] } ?? [])))
    guard let row = rows.first else {
      throw PricingError.invalidRequest(
        "no product \(item.product)\(item.merchant.map { " of merchant \($0)" } ?? "") in the catalog"
      )
    }
    guard rows.count == 1 else {
      throw PricingError.invalidRequest(
        "product id \(item.product) is used by more than one merchant: give the merchant")
    }
    return try pricedProduct(row)
  }

  package static func pricedProduct(_ row: Row) throws -> PricedProduct {
    let id: String = row["id"]
    guard let minor = row["price_minor"] as Int64?,
      let currency = CurrencyCode(row["currency"] as String? ?? "")
    else {
      throw PricingError.invalidRequest("product \(id) has no price in a marketplace currency")
    }
    var product = PricedProduct(
      merchantID: row["merchant_id"], id: id, price: Money(minorUnits: minor, currency: currency),
      basis: PriceBasis(rawValue: row["price_basis"]) ?? .gross,
      merchantCountry: CountryCode(row["country"] as String) ?? CountryCode.all[0])
    if let sale = row["sale_price_minor"] as Int64? {
      product.salePrice = Money(minorUnits: sale, currency: currency)
    }
    if let window = row["sale_window"] as String? {
      let parts = window.split(separator: "/")
      if parts.count == 2 {
        product.saleStart = FeedSyntax.instant(parts[0], requireZone: false).map {
          Date(timeIntervalSince1970: TimeInterval($0))
        }
        product.saleEnd = FeedSyntax.instant(parts[1], requireZone: false).map {
          Date(timeIntervalSince1970: TimeInterval($0))
        }
      }
    }
    product.brand = row["brand"]
    product.category = row["category"]
    product.available = row["available"]
    product.title = row["title"]
    return product
  }

  /// ECB rates (latest on or before `day`) of every currency.
  package static func rates(_ db: Database, on day: String) throws -> [CurrencyCode: ExactDecimal] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT currency, rate FROM currency_rate r
        WHERE day = (SELECT max(day) FROM currency_rate WHERE currency = r.currency AND day <= ?)
        """, arguments: [day])
    var rates: [CurrencyCode: ExactDecimal] = [:]
    for row in rows {
      if let code = CurrencyCode(row["currency"] as String),
        let rate = ExactDecimal(row["rate"] as String)
      {
        rates[code] = rate
      }
    }
    return rates
  }

  /// `minor` units of `from` in minor units of `to`, at `rates` (EUR per unit, as the ECB
  /// publishes them) of `day`.
  ///
  /// - Throws: ``LocalizationError/noRate(currency:day:)`` when `rates` lacks a currency.
  package static func convert(
    _ minor: Int64, from: CurrencyCode, to: CurrencyCode, rates: [CurrencyCode: ExactDecimal],
    day: String
  ) throws -> Int64 {
    func rate(_ code: CurrencyCode) throws -> ExactDecimal {
      if code == .eur { return ExactDecimal(significand: 1, scale: 0) }
      guard let rate = rates[code] else {
        throw LocalizationError.noRate(currency: code.rawValue, day: day)
      }
      return rate
    }
    return try ExchangeRates.convert(
      Money(minorUnits: minor, currency: from), to: to, from: rate(from), to: rate(to)
    ).minorUnits
  }

  /// Days rates may be older than the moment priced before a quote or report says so: a week
  /// covers weekends and the ECB's holidays.
  package static let staleRateDays = 7

  /// The day of the rate of `currency` in force on `day` (the last published on or before it),
  /// if any.
  package static func rateDay(_ db: Database, currency: CurrencyCode, on day: String) throws
    -> String?
  {
    try String.fetchOne(
      db, sql: "SELECT max(day) FROM currency_rate WHERE currency = ? AND day <= ?",
      arguments: [currency.rawValue, day])
  }
}
