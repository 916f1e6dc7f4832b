import Foundation
import GRDB
import Localization
import Merchants
import MktCore
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
  let scorer: any FraudScorer
  let gateway: any PaymentGateway
  let durability: Durability
  let desk: GroupCommit

  /// Most placements one transaction takes.
  public static let batchLimit = 512

  init(
    store: Store, engine: PricingEngine, countries: [Country], scorer: any FraudScorer,
    gateway: any PaymentGateway, durability: Durability
  ) {
    self.store = store
    self.engine = engine
    self.countries = countries
    self.scorer = scorer
    self.gateway = gateway
    self.durability = durability
    desk = GroupCommit()
  }

  /// A service over `store` with its pricing rules and country table as they are now.
  public static func open(
    store: Store, scorer: any FraudScorer = RulesFraudScorer(),
    gateway: any PaymentGateway = TestGateway(), durability: Durability = .full
  ) async throws -> OrderService {
    let countries = try await LocaleService(store: store).countries()
    let engine = try PricingEngine(
      rules: try await PricingService(store: store).rules(), countries: countries)
    return OrderService(
      store: store, engine: engine, countries: countries, scorer: scorer, gateway: gateway,
      durability: durability)
  }

  // MARK: - Placement

  /// Places `request`: the order, or why not (nothing reserved or written then).
  ///
  /// - Throws: ``OrderError`` (65; 69 when the payment gateway failed), ``StoreError``.
  public func place(_ request: OrderRequest) async throws -> Placement {
    let prepared = try await prepare(request)
    return try await desk.submit(prepared, on: self)
  }

  /// An order priced and checked, ready for the write transaction.
  struct Prepared: Sendable {
    struct Line: Sendable {
      var sku: String
      var title: String
      var quantity: Int
      var unit: Int64
      var total: Int64
      var vat: Int64
      var vatRate: String
    }

    var request: OrderRequest
    var country: CountryCode
    var currency: CurrencyCode
    var splitLines: Bool
    var lines: [Line]
    var subtotal: Int64
    var vat: Int64
    var discount: Int64
    var shipping: Int64
    var total: Int64
    var totalEuroCents: Int64
    /// Code rules the quote applied: (code, uses, per customer).
    var codes: [(code: String, uses: Int?, perCustomer: Int?)]
    var placedAt: String
    var windowStart: String
  }

  func prepare(_ request: OrderRequest) async throws -> Prepared {
    guard !request.idempotencyKey.isEmpty, request.idempotencyKey.count <= 200 else {
      throw OrderError.invalidRequest("idempotency_key must be 1 to 200 characters")
    }
    guard !request.lines.isEmpty else { throw OrderError.invalidRequest("the order has no lines") }
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
    let method = request.payment.method
    guard ["card", "invoice", "bank_transfer"].contains(method) else {
      throw OrderError.invalidRequest(
        "unknown payment method '\(method)' (valid: card, invoice, bank_transfer)")
    }
    var placed = Date()
    if let text = request.placedAt {
      guard let date = Clock.parse(text) else {
        throw OrderError.invalidRequest("placed_at '\(text)' is not ISO 8601 with a zone")
      }
      placed = date
    }
    let day = PricingService.day(placed)
    let merchant = request.merchant
    let lines = request.lines
    let customer = request.customer.id
    let codes = request.codes.map { $0.uppercased() }
    let (products, rates, split, redemptions) = try await store.read { db in
      guard
        let split = try Bool.fetchOne(
          db, sql: "SELECT split_lines FROM merchant WHERE id = ?", arguments: [merchant])
      else { throw OrderError.invalidRequest("unknown merchant '\(merchant)'") }
      var products: [PricedProduct] = []
      for line in lines {
        do {
          products.append(
            try PricingService.product(
              db, PricingService.Item(product: line.sku, merchant: merchant)))
        } catch is PricingError {
          throw OrderError.unknownProduct(sku: line.sku, merchant: merchant)
        }
      }
      var redemptions: [String: (total: Int, customer: Int)] = [:]
      for code in codes {
        let total =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM promo_redemption WHERE code = ?", arguments: [code])
          ?? 0
        let mine =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM promo_redemption WHERE code = ? AND customer = ?",
            arguments: [code, customer]) ?? 0
        redemptions[code] = (total, mine)
      }
      return (products, try PricingService.rates(db, on: day), split, Redemptions(redemptions))
    }
    var quoteRequest = QuoteRequest(
      lines: zip(products, lines).map { QuoteRequest.Line(product: $0.0, quantity: $0.1.quantity) },
      country: country, currency: country.currency, at: placed)
    quoteRequest.codes = codes
    quoteRequest.customer = customer
    quoteRequest.customerGroup = request.customer.group
    quoteRequest.rates = rates
    quoteRequest.redemptions = redemptions.counts
    if let shipping = request.shipping {
      quoteRequest.shipping = try Money(shipping, currency: country.currency)
    }
    let quote = try engine.quote(quoteRequest)
    if let message = quote.messages.first(where: { $0.hasPrefix("code ") }) {
      let code = message.split(separator: " ").dropFirst().first.map(String.init) ?? ""
      throw OrderError.codeNotUsable(code: code, reason: message)
    }
    let appliedRules = Set(quote.applied.map(\.rule))
    let usedCodes = engine.codeRules.filter { appliedRules.contains($0.id) }.map {
      (code: $0.code ?? "", uses: $0.limits?.uses, perCustomer: $0.limits?.perCustomer)
    }
    let euro =
      (try? ExchangeRates.convert(
        quote.total, to: .eur,
        from: rates[quote.currency] ?? ExactDecimal(significand: 1, scale: 0),
        to: ExactDecimal(significand: 1, scale: 0)
      ).minorUnits) ?? quote.total.minorUnits
    return Prepared(
      request: request, country: code, currency: country.currency, splitLines: split,
      lines: zip(quote.lines, products).map { line, product in
        Prepared.Line(
          sku: line.productID, title: product.title ?? "", quantity: line.quantity,
          unit: line.unit.minorUnits, total: line.total.minorUnits, vat: line.vat.minorUnits,
          vatRate: line.vatRate.description)
      }, subtotal: quote.subtotal.minorUnits, vat: quote.vat.minorUnits,
      discount: quote.discount.minorUnits, shipping: quote.shipping.minorUnits,
      total: quote.total.minorUnits, totalEuroCents: euro, codes: usedCodes,
      placedAt: Clock.iso(placed), windowStart: Clock.iso(placed.addingTimeInterval(-3600)))
  }

  /// Redemption counts, carried out of a read.
  struct Redemptions: @unchecked Sendable {
    // SAFETY: a value type of Ints and Strings; the tuple only keeps it from being Sendable.
    var counts: [String: (total: Int, customer: Int)]
    init(_ counts: [String: (total: Int, customer: Int)]) { self.counts = counts }
  }

  /// Writes one prepared order inside the batch's transaction (in its own savepoint).
  func apply(_ order: Prepared, _ db: Database) throws -> Placement {
    let request = order.request
    if let row = try Row.fetchOne(
      db,
      sql: "SELECT id, status, total_minor, currency, fraud_score FROM orders "
        + "WHERE idempotency_key = ?", arguments: [request.idempotencyKey])
    {
      return Placement(
        orderID: row[0], status: OrderStatus(rawValue: row[1]) ?? .pending,
        total: Money.text(row[2], row[3]), currency: row[3],
        fraudScore: Self.score(row[4]), replayed: true)
    }
    let fraud = try scorer.score(
      FraudInput(
        customerID: request.customer.id, email: request.customer.email, ip: request.ip,
        country: order.country.rawValue, billingCountry: request.billingCountry,
        ipCountry: request.ipCountry, totalEuroCents: order.totalEuroCents,
        largestQuantity: order.lines.map(\.quantity).max() ?? 0, placedAt: order.placedAt,
        windowStart: order.windowStart), db)
    let deferred = request.payment.method != "card"
    let status: OrderStatus = fraud.needsReview ? .review : deferred ? .pending : .paid
    let orderID =
      try Int64.fetchOne(
        db,
        sql: """
          INSERT INTO orders (idempotency_key, merchant_id, customer_id, email, ip, country,
            billing_country, ip_country, currency, subtotal_minor, vat_minor, discount_minor,
            shipping_minor, total_minor, status, fraud_score, fraud_reasons, payment_method,
            codes, placed_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
          """,
        arguments: [
          request.idempotencyKey, request.merchant, request.customer.id, request.customer.email,
          request.ip, order.country.rawValue, request.billingCountry, request.ipCountry,
          order.currency.rawValue, order.subtotal, order.vat, order.discount, order.shipping,
          order.total, status.rawValue, fraud.thousandths,
          fraud.reasons.joined(separator: "; "), request.payment.method,
          order.codes.map(\.code).joined(separator: " "), order.placedAt, order.placedAt,
        ]) ?? 0
    var lineNumber = 0
    for line in order.lines {
      for part in try Reservations.reserve(
        merchant: request.merchant, sku: line.sku, quantity: line.quantity,
        country: order.country.rawValue, split: order.splitLines, order: orderID, db)
      {
        lineNumber += 1
        // A line served from several warehouses keeps its price per unit; totals and VAT are
        // shared out by quantity, the last part taking the remainder.
        let share = part.quantity == line.quantity
        let total = share ? line.total : line.unit * Int64(part.quantity)
        let vat =
          share
          ? line.vat
          : Rounding.halfEven(line.vat * Int64(part.quantity), dividedBy: Int64(line.quantity))
        try db.execute(
          sql: """
            INSERT INTO order_line (order_id, line, sku, title, warehouse_id, quantity, unit_minor,
              total_minor, vat_minor, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            orderID, lineNumber, line.sku, line.title, part.warehouse, part.quantity, line.unit,
            total, vat, line.vatRate,
          ])
      }
    }
    for used in order.codes {
      try db.execute(
        sql: """
          INSERT INTO promo_redemption (code, customer, reference)
          SELECT ?1, ?2, ?3
          WHERE (?4 IS NULL OR (SELECT count(*) FROM promo_redemption WHERE code = ?1) < ?4)
            AND (?5 IS NULL OR (SELECT count(*) FROM promo_redemption
                                WHERE code = ?1 AND customer = ?2) < ?5)
          """,
        arguments: [
          used.code, request.customer.id, "order:\(orderID)", used.uses, used.perCustomer,
        ])
      if db.changesCount == 0 {
        throw OrderError.codeNotUsable(code: used.code, reason: "its uses were taken meanwhile")
      }
    }
    var reference: String?
    if status == .paid {
      reference = try gateway.chargeOrder(
        PaymentRequest(
          reference: "order-\(orderID)", amountMinor: order.total,
          currency: order.currency.rawValue, method: request.payment.method,
          token: request.payment.token))
      try db.execute(
        sql: "UPDATE orders SET payment_reference = ? WHERE id = ?",
        arguments: [reference, orderID])
    }
    try OrderHistory.record(
      orderID, from: nil, to: status,
      note: fraud.needsReview
        ? "fraud score \(Self.score(fraud.thousandths)): "
          + fraud.reasons.joined(separator: "; ") : "", at: order.placedAt, db)
    try db.execute(
      sql: "INSERT INTO outbox (topic, order_id, payload) VALUES ('order.placed', ?, ?)",
      arguments: [
        orderID,
        "{\"order_id\":\(orderID),\"status\":\"\(status.rawValue)\",\"total\":\"\(Money.text(order.total, order.currency.rawValue))\",\"currency\":\"\(order.currency.rawValue)\"}",
      ])
    return Placement(
      orderID: orderID, status: status, total: Money.text(order.total, order.currency.rawValue),
      currency: order.currency.rawValue, fraudScore: Self.score(fraud.thousandths),
      replayed: false)
  }

  /// Thousandths as `0.350`.
  static func score(_ thousandths: Int) -> String {
    ExactDecimal(significand: Int64(thousandths), scale: 3).description
  }
}
