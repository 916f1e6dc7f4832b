import GRDB

extension Store {
  /// Migration 0018: the fraud module's own record of placed orders (issue 18), and the order
  /// fields fraud signals read.
  ///
  /// - `orders` gains what a checkout may send about the shopper: when their account was
  ///   created, their device, a fingerprint of their card, their user agent and the channel.
  /// - `fraud_observation` holds, per placed order, what the signals count: its keys (customer,
  ///   email, IP, device, card), its main SKU, its amount in euro cents and its time in seconds,
  ///   each key indexed with the time and what its signals read (covering indexes: a signal
  ///   never visits the table), so each signal is one range read that never sees an order
  ///   placed after the one scored. Orders placed before this migration are copied in
  ///   (amounts in euro for orders in euro; the others count in velocities, not in baskets).
  ///   The `orders` indexes on email and IP, which only the old scorer read, are dropped.
  static func registerFraudMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0018-create-fraud-observation") { db in
      try db.execute(
        sql: """
          ALTER TABLE orders ADD COLUMN customer_created_at TEXT;
          ALTER TABLE orders ADD COLUMN device_id TEXT;
          ALTER TABLE orders ADD COLUMN card_fingerprint TEXT;
          ALTER TABLE orders ADD COLUMN user_agent TEXT;
          ALTER TABLE orders ADD COLUMN channel TEXT;
          CREATE TABLE fraud_observation (
            order_id INTEGER PRIMARY KEY,
            merchant_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            email TEXT NOT NULL,
            ip TEXT,
            device_id TEXT,
            card TEXT,
            sku TEXT NOT NULL,
            amount_eur INTEGER,
            at INTEGER NOT NULL
          ) STRICT;
          INSERT INTO fraud_observation
            SELECT id, merchant_id, customer_id, email, ip, NULL, NULL,
              coalesce((SELECT sku FROM order_line WHERE order_id = orders.id
                        ORDER BY quantity DESC, line LIMIT 1), ''),
              CASE WHEN currency = 'EUR' THEN total_minor END,
              CAST(strftime('%s', placed_at) AS INTEGER)
            FROM orders;
          CREATE INDEX fraud_customer ON fraud_observation (customer_id, at, amount_eur, card);
          CREATE INDEX fraud_email ON fraud_observation (email, at, customer_id);
          CREATE INDEX fraud_ip ON fraud_observation (ip, at, customer_id) WHERE ip IS NOT NULL;
          CREATE INDEX fraud_device ON fraud_observation (device_id, at, customer_id)
            WHERE device_id IS NOT NULL;
          CREATE INDEX fraud_card ON fraud_observation (card, at, customer_id)
            WHERE card IS NOT NULL;
          CREATE INDEX fraud_merchant ON fraud_observation (merchant_id, at, amount_eur, sku);
          DROP INDEX orders_email;
          DROP INDEX orders_ip;
          """)
    }
  }
}
