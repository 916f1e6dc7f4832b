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
        line: $0["line"], sku: $0["sku"], title: $0["title"], warehouseID: $0["warehouse_id"],
        quantity: $0["quantity"], unit: Money.text($0["unit_minor"], currency),
        total: Money.text($0["total_minor"], currency), vat: Money.text($0["vat_minor"], currency),
        vatRate: $0["vat_rate"], fulfilled: $0["fulfilled"], refunded: $0["refunded"])
    }
    order.events = try Row.fetchAll(
      db,
      sql:
        "SELECT from_status, to_status, note, at FROM order_event WHERE order_id = ? ORDER BY seq",
      arguments: [id]
    ).map {
      Order.Event(from: $0["from_status"], to: $0["to_status"], note: $0["note"], at: $0["at"])
    }
    return order
  }

  static func summary(_ row: Row) -> Order {
    let currency: String = row["currency"]
    let reasons: String = row["fraud_reasons"]
    let codes: String = row["codes"]
    var order = Order(
      id: row["id"], idempotencyKey: row["idempotency_key"], merchantID: row["merchant_id"],
      customerID: row["customer_id"], email: row["email"], country: row["country"],
      currency: currency, subtotal: Money.text(row["subtotal_minor"], currency),
      vat: Money.text(row["vat_minor"], currency),
      discount: Money.text(row["discount_minor"], currency),
      shipping: Money.text(row["shipping_minor"], currency),
      total: Money.text(row["total_minor"], currency),
      refunded: Money.text(row["refunded_minor"], currency),
      status: OrderStatus(rawValue: row["status"]) ?? .pending,
      fraudScore: score(row["fraud_score"]),
      fraudReasons: reasons.isEmpty ? [] : reasons.components(separatedBy: "; "),
      paymentMethod: row["payment_method"], paymentReference: row["payment_reference"],
      codes: codes.split(separator: " ").map(String.init), placedAt: row["placed_at"],
      updatedAt: row["updated_at"], lines: [], events: [])
    order.customerCreatedAt = row["customer_created_at"]
    order.deviceID = row["device_id"]
    order.cardFingerprint = row["card_fingerprint"]
    order.userAgent = row["user_agent"]
    order.channel = row["channel"]
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
