import Foundation
public import Fraud
import GRDB
import Importers
import Inventory
import Localization
import Merchants
import MktCore
public import Payments
import Pricing
public import Store

/// Places orders and moves them through their life: pricing, fraud score, stock reservation,
/// payment and the order's rows in one transaction, never selling stock that is not there.
///
/// Placements from concurrent callers are committed together (group commit): one write
/// transaction takes every placement waiting, each in its own savepoint so that one failure
/// never rolls back another, and each caller is answered only after the commit — with
/// `synchronous=FULL`, a confirmed order survives power loss.
public final class OrderService: Sendable {
  let store: Store
  let engine: PricingEngine
  let countries: [Country]
  /// The fraud rules, model and thresholds as they were when the service opened.
  let fraud: FraudEngine
  let gateway: any PaymentGateway
  /// Each merchant's payment method choices, where they differ from the shipped defaults.
  let paymentChoices: [String: [String: Bool]]
  let durability: Durability
  let desk: GroupCommit
  /// ECB rates by day, read once per day and process (rates of a past day do not change; a
  /// rate imported later for today is picked up by a new service).
  let rateCache = RateCache()

  /// Most placements one transaction takes.
  public static let batchLimit = 512

  init(
    store: Store, engine: PricingEngine, countries: [Country], fraud: FraudEngine,
    gateway: any PaymentGateway, paymentChoices: [String: [String: Bool]],
    durability: Durability
  ) {
    self.store = store
    self.engine = engine
    self.countries = countries
    self.fraud = fraud
    self.gateway = gateway
    self.paymentChoices = paymentChoices
    self.durability = durability
    desk = GroupCommit()
  }

  /// A service over `store` with its pricing rules, country table and fraud rules, model and
  /// thresholds as they are now; `scorer` in place of the stored model or built-in weights.
  public static func open(
    store: Store, scorer: (any FraudScorer)? = nil,
    gateway: any PaymentGateway = TestGateway(), durability: Durability = .full
  ) async throws -> OrderService {
    let countries = try await LocaleService(store: store).countries()
    let engine = try PricingEngine(
      rules: try await PricingService(store: store).rules(), countries: countries)
    return OrderService(
      store: store, engine: engine, countries: countries,
      fraud: try await FraudService(store: store).engine(scorer: scorer), gateway: gateway,
      paymentChoices: try await PaymentService(store: store).choices(), durability: durability)
  }

  // MARK: - Placement

  /// Places `request`: the order, or why not (nothing reserved or written then).
  ///
  /// - Throws: ``OrderError`` (65; 69 when the payment gateway failed), ``StoreError``.
  public func place(_ request: OrderRequest) async throws -> Placement {
    try await desk.submit(try validate(request), on: self)
  }

  /// An order checked without the database, ready for the write transaction.
  struct Validated: Sendable {
    var request: OrderRequest
    var country: Country
    var placed: Date
    var placedAt: String
    var day: String
    /// When the customer's account was created, seconds since 1970.
    var customerCreatedAt: Int64?
  }

  /// An order priced (on a read connection, while the previous batch commits).
  struct Priced: Sendable {
    struct Line: Sendable {
      var sku: String
      var title: String
      var quantity: Int
      var unit: Int64
      var total: Int64
      var vat: Int64
      var vatRate: String
    }

    var splitLines: Bool
    var lines: [Line]
    var subtotal: Int64
    var vat: Int64
    var discount: Int64
    var shipping: Int64
    var total: Int64
    var totalEuroCents: Int64
    /// Code rules the quote applied, with their limits.
    var codes: [CodeUse]
    /// How the order's payment method completes.
    var flow: PaymentFlow = .direct
  }

  /// A promo code an order uses, and the limits its rule sets.
  struct CodeUse: Sendable {
    var code: String
    var uses: Int?
    var perCustomer: Int?
  }

  /// Checks what needs no database: lines, quantities, country, currency, payment, time.
  func validate(_ request: OrderRequest) throws -> Validated {
    var request = request
    // SKUs as the catalog stores ids: composed (NFC), so `café` finds `café` either way.
    for index in request.lines.indices {
      request.lines[index].sku = ProductRecord.composed(request.lines[index].sku)
    }
    guard !request.idempotencyKey.isEmpty, request.idempotencyKey.count <= 200 else {
      throw OrderError.invalidRequest("idempotency_key must be 1 to 200 characters")
    }
    guard !request.lines.isEmpty else { throw OrderError.invalidRequest("the order has no lines") }
    guard request.lines.count <= OrderRequest.maximumLines else {
      throw OrderError.invalidRequest(
        "the order has \(request.lines.count) lines; an order may have at most "
          + "\(OrderRequest.maximumLines)")
    }
    for line in request.lines where line.quantity < 1 || line.quantity > 100_000 {
      throw OrderError.invalidRequest(
        "quantity of \(line.sku) must be 1 to 100000, not \(line.quantity)")
    }
    guard let code = CountryCode(request.country),
      let country = countries.first(where: { $0.code == code })
    else {
      throw OrderError.invalidRequest(
        "unknown shipping country '\(request.country)' (valid: \(CountryCode.validList))")
    }
    if let text = request.currency, CurrencyCode(text) != country.currency {
      throw OrderError.currencyNotUsed(
        currency: text, country: code.rawValue, expected: country.currency.rawValue)
    }
    _ = try paymentMethod(
      request.payment.method, merchant: request.merchant, country: code.rawValue,
      currency: country.currency.rawValue, amount: nil)
    var placed = store.clock.now()
    if let text = request.placedAt {
      guard let date = UTCTime.date(text) else {
        throw OrderError.invalidRequest("placed_at '\(text)' is not ISO 8601 with a zone")
      }
      placed = date
    }
    let createdAt = try Self.shopperFields(request)
    return Validated(
      request: request, country: country, placed: placed, placedAt: UTCTime.iso(placed),
      day: UTCTime.day(placed), customerCreatedAt: createdAt)
  }

  /// Prices an order with the products, rates and code redemptions as the transaction sees
  /// them.
  func price(_ order: Validated, _ db: Database) throws -> Priced {
    let request = order.request
    let country = order.country
    guard
      let split = try Bool.fetchOne(
        db.cachedStatement(sql: "SELECT split_lines FROM merchant WHERE id = ?"),
        arguments: [request.merchant])
    else { throw OrderError.invalidRequest("unknown merchant '\(request.merchant)'") }
    var products: [PricedProduct] = []
    for line in request.lines {
      do {
        products.append(
          try PricingService.product(
            db, PricingService.Item(product: line.sku, merchant: request.merchant)))
      } catch is PricingError {
        throw OrderError.unknownProduct(sku: line.sku, merchant: request.merchant)
      }
    }
    let codes = request.codes.map { $0.uppercased() }
    var redemptions: [String: (total: Int, customer: Int)] = [:]
    for code in codes {
      let total =
        try Int.fetchOne(
          db.cachedStatement(sql: "SELECT count(*) FROM promo_redemption WHERE code = ?"),
          arguments: [code]) ?? 0
      let mine =
        try Int.fetchOne(
          db.cachedStatement(
            sql: "SELECT count(*) FROM promo_redemption WHERE code = ? AND customer = ?"),
          arguments: [code, request.customer.id]) ?? 0
      redemptions[code] = (total, mine)
    }
    let rates = try rateCache.rates(on: order.day) { try PricingService.rates(db, on: order.day) }
    var quoteRequest = QuoteRequest(
      lines: zip(products, request.lines).map {
        QuoteRequest.Line(product: $0.0, quantity: $0.1.quantity)
      }, country: country, currency: country.currency, at: order.placed)
    quoteRequest.codes = codes
    quoteRequest.customer = request.customer.id
    quoteRequest.customerGroup = request.customer.group
    quoteRequest.rates = rates
    quoteRequest.redemptions = redemptions
    quoteRequest.explain = !codes.isEmpty
    if let shipping = request.shipping {
      quoteRequest.shipping = try Money(shipping, currency: country.currency)
    }
    let quote = try engine.quote(quoteRequest)
    if let message = quote.messages.first(where: { $0.hasPrefix("code ") }) {
      let code = message.split(separator: " ").dropFirst().first.map(String.init) ?? ""
      throw OrderError.codeNotUsable(code: code, reason: message)
    }
    var usedCodes: [CodeUse] = []
    if !codes.isEmpty {
      let appliedRules = Set(quote.applied.map(\.rule))
      usedCodes = engine.codeRules.filter { appliedRules.contains($0.id) }.map {
        CodeUse(
          code: $0.code?.uppercased() ?? "", uses: $0.limits?.uses,
          perCustomer: $0.limits?.perCustomer)
      }
    }
    // The method's amount limits, now that the amount is known.
    let method = try paymentMethod(
      request.payment.method, merchant: request.merchant, country: country.code.rawValue,
      currency: quote.currency.rawValue, amount: quote.total.minorUnits)
    let one = ExactDecimal(significand: 1, scale: 0)
    let euro =
      (try? ExchangeRates.convert(
        quote.total, to: .eur, from: rates[quote.currency] ?? one, to: one
      ).minorUnits) ?? quote.total.minorUnits
    return Priced(
      splitLines: split,
      lines: zip(quote.lines, products).map { line, product in
        Priced.Line(
          sku: line.productID, title: product.title ?? "", quantity: line.quantity,
          unit: line.unit.minorUnits, total: line.total.minorUnits, vat: line.vat.minorUnits,
          vatRate: line.vatRate.description)
      }, subtotal: quote.subtotal.minorUnits, vat: quote.vat.minorUnits,
      discount: quote.discount.minorUnits, shipping: quote.shipping.minorUnits,
      total: quote.total.minorUnits, totalEuroCents: euro, codes: usedCodes, flow: method.flow)
  }

  /// Writes one priced order inside the batch's transaction (in its own savepoint): the
  /// idempotency check, fraud score, reservations, code redemptions and payment see everything
  /// committed before and placed earlier in the batch.
  func apply(_ validated: Validated, _ order: Priced, _ db: Database) throws -> Placement {
    let request = validated.request
    if let earlier = try Self.replay(request, db) { return earlier }
    if let refusal = try Self.earlierRefusal(request, db) { throw refusal }
    let facts = Self.fraudFacts(validated, order)
    let decision = fraud.decide(facts, try FraudHistory.signals(for: facts, db))
    if decision.action == .block {
      try Self.refuse(validated, order, decision, db)
    }
    // One writer at a time: the next id is free until this transaction commits.
    let orderID =
      try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM orders"))
      ?? 1
    // Stock first, then codes, then the charge: a refusal at any step rolls the savepoint back
    // before money moves.
    let parts = try Self.reserve(order, validated, id: orderID, db)
    try Self.redeem(order.codes, customer: request.customer.id, id: orderID, db)
    // Held for review: nothing is authorised until approved. Else cards settle now, redirect
    // and mandate methods wait for the customer, deferred ones for the money.
    var placed = Placed(
      id: orderID, status: decision.action == .review ? .review : .pending, reference: nil,
      decision: decision)
    if placed.status != .review, order.flow != .deferred {
      let authorization = try charge(order, validated, id: orderID, facts: facts)
      placed.reference = authorization.reference
      if authorization.settled { placed.status = .paid }
    }
    try Self.record(placed, validated, order, parts, facts, db)
    let currency = validated.country.currency.rawValue
    return Placement(
      orderID: orderID, status: placed.status, total: Money.text(order.total, currency),
      currency: currency, fraudScore: Self.score(decision.score.thousandths), replayed: false)
  }

  /// Thousandths as `0.350`.
  static func score(_ thousandths: Int) -> String {
    ExactDecimal(significand: Int64(thousandths), scale: 3).description
  }
}
