import Foundation
import GRDB
import MktCore
import Store

extension OrderService {
  /// One order with its lines and history.
  public func order(_ id: Int64) async throws -> Order {
    try await store.read { db in
      guard let order = try Self.order(id, db) else { throw OrderError.notFound(id) }
      return order
    }
  }

  static let orderColumns = """
    SELECT id, idempotency_key, merchant_id, customer_id, email, country, currency,
      subtotal_minor, vat_minor, discount_minor, shipping_minor, total_minor, refunded_minor,
      status, fraud_score, fraud_reasons, payment_method, payment_reference, codes, placed_at,
      updated_at, customer_created_at, device_id, card_fingerprint, user_agent, channel
    FROM orders
    """

  static func order(_ id: Int64, _ db: Database) throws -> Order? {
    guard let row = try Row.fetchOne(db, sql: orderColumns + " WHERE id = ?", arguments: [id])
    else { return nil }
    var order = summary(row)
    let currency = order.currency
    order.lines = try Row.fetchAll(
      db,
      sql: """
        SELECT line, sku, title, warehouse_id, quantity, unit_minor, total_minor, vat_minor,
          vat_rate, fulfilled, refunded
        FROM order_line WHERE order_id = ? ORDER BY line
        """, arguments: [id]
    ).map {
      Order.Line(
        line: $0[0], sku: $0[1], title: $0[2], warehouseID: $0[3], quantity: $0[4],
        unit: Money.text($0[5], currency), total: Money.text($0[6], currency),
        vat: Money.text($0[7], currency), vatRate: $0[8], fulfilled: $0[9], refunded: $0[10])
    }
    order.events = try Row.fetchAll(
      db,
      sql:
        "SELECT from_status, to_status, note, at FROM order_event WHERE order_id = ? ORDER BY seq",
      arguments: [id]
    ).map { Order.Event(from: $0[0], to: $0[1], note: $0[2], at: $0[3]) }
    return order
  }

  static func summary(_ row: Row) -> Order {
    let currency: String = row[6]
    let reasons: String = row[15]
    let codes: String = row[18]
    var order = Order(
      id: row[0], idempotencyKey: row[1], merchantID: row[2], customerID: row[3], email: row[4],
      country: row[5], currency: currency, subtotal: Money.text(row[7], currency),
      vat: Money.text(row[8], currency), discount: Money.text(row[9], currency),
      shipping: Money.text(row[10], currency), total: Money.text(row[11], currency),
      refunded: Money.text(row[12], currency),
      status: OrderStatus(rawValue: row[13]) ?? .pending, fraudScore: score(row[14]),
      fraudReasons: reasons.isEmpty ? [] : reasons.components(separatedBy: "; "),
      paymentMethod: row[16], paymentReference: row[17],
      codes: codes.split(separator: " ").map(String.init), placedAt: row[19],
      updatedAt: row[20], lines: [], events: [])
    order.customerCreatedAt = row[21]
    order.deviceID = row[22]
    order.cardFingerprint = row[23]
    order.userAgent = row[24]
    order.channel = row[25]
    return order
  }

  /// Orders, newest first: of a status, a merchant, a customer.
  public func orders(
    status: OrderStatus? = nil, merchant: String? = nil, customer: String? = nil, limit: Int = 100
  ) async throws -> [Order] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: Self.orderColumns + """
           WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR merchant_id = ?2)
            AND (?3 IS NULL OR customer_id = ?3)
          ORDER BY id DESC LIMIT ?4
          """, arguments: [status?.rawValue, merchant, customer, max(0, limit)]
      ).map(Self.summary)
    }
  }
}

extension OrderService {
  /// Orders after the id `after` (exclusive), oldest first: an export that resumes where the
  /// last page ended, whatever was placed meanwhile.
  public func orders(after: Int64, merchant: String?, status: OrderStatus? = nil, limit: Int)
    async throws -> [Order]
  {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: Self.orderColumns + """
           WHERE id > ?1 AND (?2 IS NULL OR merchant_id = ?2) AND (?3 IS NULL OR status = ?3)
          ORDER BY id LIMIT ?4
          """, arguments: [after, merchant, status?.rawValue, max(0, limit)]
      ).map(Self.summary)
    }
  }
}
