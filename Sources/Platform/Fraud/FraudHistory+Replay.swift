package import GRDB
import Store

extension FraudHistory {
  /// The columns ``order(_:_:)`` reads.
  static let orderColumns = """
    SELECT order_id, merchant_id, customer_id, email, ip, device_id, card, sku,
      coalesce(amount_eur, 0) AS amount_eur_cents, at, country, billing_country, ip_country,
      customer_created_at, channel, quantity FROM fraud_observation
    """

  /// Where each column ``order(_:_:)`` reads sits in a statement of ``orderColumns``.
  ///
  /// Found by name once per statement: a replay reads a million rows, and finding sixteen names
  /// in every one of them cost 3 % of it.
  struct OrderColumns {
    let orderID, merchant, customer, email, ip, device, card, sku, amount, at: Int
    let country, billingCountry, ipCountry, customerCreatedAt, channel, quantity: Int

    init(_ statement: Statement) {
      func index(_ name: String) -> Int { Self.index(of: name, in: statement) }
      (orderID, merchant) = (index("order_id"), index("merchant_id"))
      customer = index("customer_id")
      (email, ip, device, card) = (index("email"), index("ip"), index("device_id"), index("card"))
      (sku, amount, at) = (index("sku"), index("amount_eur_cents"), index("at"))
      (country, billingCountry) = (index("country"), index("billing_country"))
      (ipCountry, customerCreatedAt) = (index("ip_country"), index("customer_created_at"))
      (channel, quantity) = (index("channel"), index("quantity"))
    }

    /// The position of column `name` in `statement`, which its SQL always selects.
    static func index(of name: String, in statement: Statement) -> Int {
      guard let index = statement.index(ofColumn: name) else {
        preconditionFailure("no column \(name) in \(statement.sql)")
      }
      return index
    }
  }

  /// An order as the fraud module recorded it, from a row of a statement with `columns`.
  static func order(_ row: Row, _ columns: OrderColumns) -> FraudOrder {
    var order = FraudOrder(
      merchant: row[columns.merchant], customer: row[columns.customer],
      email: row[columns.email], country: row[columns.country],
      amountEuroCents: row[columns.amount], mainSKU: row[columns.sku],
      largestQuantity: row[columns.quantity], placedAt: row[columns.at])
    order.ip = row[columns.ip]
    order.device = row[columns.device]
    order.card = row[columns.card]
    order.billingCountry = row[columns.billingCountry]
    order.ipCountry = row[columns.ipCountry]
    order.customerCreatedAt = row[columns.customerCreatedAt]
    order.channel = row[columns.channel]
    return order
  }

  /// Order `id` as recorded at its placement (`nil`: not recorded).
  package static func order(_ id: Int64, _ db: Database) throws -> FraudOrder? {
    let statement = try db.cachedStatement(sql: orderColumns + " WHERE order_id = ?")
    let columns = OrderColumns(statement)
    return try Row.fetchOne(statement, arguments: [id]).map { order($0, columns) }
  }

  /// Calls `body` with each recorded order placed in `[from, to)` (seconds since 1970), in the
  /// order they were placed, its id and its label (`nil`: not labelled).
  package static func replay(
    from: Int64, to: Int64, _ db: Database,
    _ body: (Int64, FraudOrder, Bool?) throws -> Void
  ) throws {
    let statement = try db.makeStatement(
      sql: """
        SELECT o.*, l.fraud FROM (\(orderColumns) WHERE at >= ? AND at < ?) o
        LEFT JOIN fraud_label l ON l.order_id = o.order_id ORDER BY o.at, o.order_id
        """)
    let columns = OrderColumns(statement)
    let fraud = OrderColumns.index(of: "fraud", in: statement)
    let cursor = try Row.fetchCursor(statement, arguments: [from, to])
    while let row = try cursor.next() {
      let label: Int? = row[fraud]
      try body(row[columns.orderID], order(row, columns), label.map { $0 == 1 })
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
