import Fraud
import GRDB
import Inventory
import Localization
import MktCore
import Payments
import Pricing

/// The steps of ``OrderService/apply(_:_:_:)``, each inside the placement's savepoint.
extension OrderService {
  /// An order as placement decided it, before it is recorded.
  struct Placed {
    var id: Int64
    var status: OrderStatus
    /// The gateway's reference of the authorisation, when one was made.
    var reference: String?
    var decision: FraudDecision
  }

  /// The order already placed under the request's idempotency key, answered again; `nil` when
  /// the key is new.
  ///
  /// Keys are the merchant's own: another merchant's order under the same key is not this one.
  ///
  /// - Throws: ``OrderError/keyReused(key:order:)`` when the key was used for another request.
  static func replay(_ request: OrderRequest, _ db: Database) throws -> Placement? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(
          sql: "SELECT id, status, total_minor, currency, fraud_score, request_digest FROM orders "
            + "WHERE merchant_id = ? AND idempotency_key = ?"),
        arguments: [request.merchant, request.idempotencyKey])
    else { return nil }
    let digest: String = row["request_digest"]
    guard digest.isEmpty || digest == request.digest else {
      throw OrderError.keyReused(key: request.idempotencyKey, order: row["id"])
    }
    return Placement(
      orderID: row["id"], status: OrderStatus(rawValue: row["status"]) ?? .pending,
      total: Money.text(row["total_minor"], row["currency"]), currency: row["currency"],
      fraudScore: score(row["fraud_score"]), replayed: true)
  }

  /// Reserves every line in the nearest warehouses (Inventory's ledger).
  ///
  /// - Throws: ``OrderError/outOfStock(sku:requested:available:)``.
  static func reserve(
    _ order: Priced, _ validated: Validated, id: Int64, _ db: Database
  ) throws -> [(line: Priced.Line, part: Reservations.Part)] {
    var parts: [(line: Priced.Line, part: Reservations.Part)] = []
    for line in order.lines {
      let reserved = try OrderError.short {
        try Reservations.reserve(
          merchant: validated.request.merchant, sku: line.sku, quantity: line.quantity,
          country: validated.country.code.rawValue, split: order.splitLines, order: id, db)
      }
      parts += reserved.map { (line, $0) }
    }
    return parts
  }

  /// Records one use of each promo code the quote applied (Pricing's ledger).
  ///
  /// - Throws: ``OrderError/codeNotUsable(code:reason:)`` when another order took the last use.
  static func redeem(_ codes: [CodeUse], customer: String, id: Int64, _ db: Database) throws {
    for used in codes
    where try !PricingService.redeem(
      used.code, customer: customer, reference: "order:\(id)", uses: used.uses,
      perCustomer: used.perCustomer, db)
    {
      throw OrderError.codeNotUsable(code: used.code, reason: "its uses were taken meanwhile")
    }
  }

  /// Authorises the order's total with the gateway.
  ///
  /// - Throws: ``DeclinedPayment`` (with the facts, so the decline counts for fraud) or the
  ///   gateway's other errors.
  func charge(
    _ order: Priced, _ validated: Validated, id: Int64, facts: FraudOrder
  ) throws -> Authorization {
    let request = validated.request
    do {
      return try gateway.authorizeOrder(
        PaymentRequest(
          reference: "order-\(id)", amountMinor: order.total,
          currency: validated.country.currency.rawValue, method: request.payment.method,
          token: request.payment.token, card: request.cardFingerprint, at: facts.placedAt),
        flow: order.flow)
    } catch {
      if case .paymentDeclined = error { throw DeclinedPayment(error: error, facts: facts) }
      throw error
    }
  }

  /// Writes the order, its lines (a line served from several warehouses split by warehouse),
  /// its first status event, its fraud history and its `order.placed` event.
  static func record(
    _ placed: Placed, _ validated: Validated, _ order: Priced,
    _ parts: [(line: Priced.Line, part: Reservations.Part)], _ facts: FraudOrder,
    _ db: Database
  ) throws {
    let request = validated.request
    let country = validated.country.code.rawValue
    let currency = validated.country.currency.rawValue
    try db.cachedStatement(
      sql: """
        INSERT INTO orders (id, idempotency_key, merchant_id, customer_id, email, ip, country,
          billing_country, ip_country, currency, subtotal_minor, vat_minor, discount_minor,
          shipping_minor, total_minor, status, fraud_score, fraud_reasons, payment_method,
          payment_reference, codes, placed_at, updated_at, request_digest, customer_created_at,
          device_id, card_fingerprint, user_agent, channel)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
          ?, ?)
        """
    ).execute(arguments: [
      placed.id, request.idempotencyKey, request.merchant, request.customer.id,
      request.customer.email, request.ip, country, request.billingCountry, request.ipCountry,
      currency, order.subtotal, order.vat, order.discount, order.shipping, order.total,
      placed.status.rawValue, placed.decision.score.thousandths,
      placed.decision.reasons.joined(separator: "; "),
      request.payment.method, placed.reference, order.codes.map(\.code).joined(separator: " "),
      validated.placedAt, validated.placedAt, request.digest, request.customer.createdAt,
      request.deviceID, request.cardFingerprint, request.userAgent, request.channel,
    ])
    try FraudHistory.record(facts, id: placed.id, paid: placed.status == .paid, db)
    let insertLine = try db.cachedStatement(
      sql: """
        INSERT INTO order_line (order_id, line, sku, title, warehouse_id, quantity, unit_minor,
          total_minor, vat_minor, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (number, entry) in parts.enumerated() {
      let (line, part) = entry
      // A line served from several warehouses keeps its unit price; its total and VAT are
      // shared out by quantity.
      let whole = part.quantity == line.quantity
      try insertLine.execute(arguments: [
        placed.id, number + 1, line.sku, line.title, part.warehouse, part.quantity, line.unit,
        whole ? line.total : line.unit * Int64(part.quantity),
        whole
          ? line.vat
          : Rounding.halfEven(line.vat * Int64(part.quantity), dividedBy: Int64(line.quantity)),
        line.vatRate,
      ])
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO order_event (order_id, seq, from_status, to_status, note, at)
        VALUES (?, 1, NULL, ?, ?, ?)
        """
    ).execute(arguments: [
      placed.id, placed.status.rawValue,
      placed.decision.action == .review
        ? "fraud score \(score(placed.decision.score.thousandths)): "
          + placed.decision.reasons.joined(separator: "; ")
        : "",
      validated.placedAt,
    ])
    let total = Money.text(order.total, currency)
    try db.cachedStatement(
      sql: """
        INSERT INTO outbox (topic, order_id, merchant_id, payload)
        VALUES ('order.placed', ?, ?, ?)
        """
    ).execute(arguments: [
      placed.id, request.merchant,
      "{\"order_id\":\(placed.id),\"status\":\"\(placed.status.rawValue)\",\"total\":\"\(total)\","
        + "\"currency\":\"\(currency)\"}",
    ])
  }
}
