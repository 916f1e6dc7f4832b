package import GRDB
import Store

extension FraudHistory {
  /// The columns ``order(_:)`` reads, in its order.
  static let orderColumns = """
    SELECT order_id, merchant_id, customer_id, email, ip, device_id, card, sku,
      coalesce(amount_eur, 0) AS amount_eur_cents, at, country, billing_country, ip_country,
      customer_created_at, channel, quantity FROM fraud_observation
    """

  /// An order as the fraud module recorded it.
  static func order(_ row: Row) -> FraudOrder {
    var order = FraudOrder(
      merchant: row["merchant_id"], customer: row["customer_id"], email: row["email"],
      country: row["country"], amountEuroCents: row["amount_eur_cents"], mainSKU: row["sku"],
      largestQuantity: row["quantity"], placedAt: row["at"])
    order.ip = row["ip"]
    order.device = row["device_id"]
    order.card = row["card"]
    order.billingCountry = row["billing_country"]
    order.ipCountry = row["ip_country"]
    order.customerCreatedAt = row["customer_created_at"]
    order.channel = row["channel"]
    return order
  }

  /// Order `id` as recorded at its placement (`nil`: not recorded).
  package static func order(_ id: Int64, _ db: Database) throws -> FraudOrder? {
    try Row.fetchOne(
      db.cachedStatement(sql: orderColumns + " WHERE order_id = ?"), arguments: [id]
    ).map(order)
  }

  /// Calls `body` with each recorded order placed in `[from, to)` (seconds since 1970), in the
  /// order they were placed, its id and its label (`nil`: not labelled).
  package static func replay(
    from: Int64, to: Int64, _ db: Database,
    _ body: (Int64, FraudOrder, Bool?) throws -> Void
  ) throws {
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT o.*, l.fraud FROM (\(orderColumns) WHERE at >= ? AND at < ?) o
        LEFT JOIN fraud_label l ON l.order_id = o.order_id ORDER BY o.at, o.order_id
        """, arguments: [from, to])
    while let row = try cursor.next() {
      let label: Int? = row["fraud"]
      try body(row["order_id"], order(row), label.map { $0 == 1 })
    }
  }

  /// Creates the fraud module's record in an empty database (an in-memory replay of orders
  /// from a file), as the migrations leave it in a store.
  package static func createScratch(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE fraud_observation (
          order_id INTEGER PRIMARY KEY, merchant_id TEXT NOT NULL, customer_id TEXT NOT NULL,
          email TEXT NOT NULL, ip TEXT, device_id TEXT, card TEXT, sku TEXT NOT NULL,
          amount_eur INTEGER, at INTEGER NOT NULL, country TEXT NOT NULL DEFAULT '',
          billing_country TEXT, ip_country TEXT, customer_created_at INTEGER, channel TEXT,
          quantity INTEGER NOT NULL DEFAULT 0, paid_at INTEGER) STRICT;
        CREATE INDEX fraud_customer
          ON fraud_observation (customer_id, at, amount_eur, card, paid_at, ip, email);
        CREATE INDEX fraud_email ON fraud_observation (email, at, customer_id);
        CREATE INDEX fraud_ip ON fraud_observation (ip, at, customer_id) WHERE ip IS NOT NULL;
        CREATE INDEX fraud_device ON fraud_observation (device_id, at, customer_id)
          WHERE device_id IS NOT NULL;
        CREATE INDEX fraud_card ON fraud_observation (card, at, customer_id)
          WHERE card IS NOT NULL;
        CREATE INDEX fraud_merchant
          ON fraud_observation (merchant_id, at, order_id, amount_eur, sku);
        CREATE TABLE fraud_decline (key TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
        CREATE INDEX fraud_decline_key ON fraud_decline (key, at);
        """)
  }
}
