import GRDB

extension Store {
  /// Migration 0010: idempotency keys belong to their merchant (hardening class 6).
  ///
  /// `orders.idempotency_key` was unique across all merchants, so one merchant's key answered
  /// for another's order. The table is rebuilt with `UNIQUE (merchant_id, idempotency_key)` and
  /// `request_digest`, a digest of the order as submitted: the same key with another order is
  /// refused instead of replayed (empty for orders placed before, which replay as before).
  /// GRDB runs a migration with foreign keys off and checks them all before it commits, so
  /// dropping the old table does not cascade to the lines and events that point at it.
  static func registerOrderKeyMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0010-scope-idempotency-keys") { db in
      let columns = """
        id, idempotency_key, merchant_id, customer_id, email, ip, country, billing_country,
        ip_country, currency, subtotal_minor, vat_minor, discount_minor, shipping_minor,
        total_minor, refunded_minor, status, fraud_score, fraud_reasons, payment_method,
        payment_reference, codes, placed_at, updated_at
        """
      try db.execute(
        sql: """
          CREATE TABLE orders_scoped (
            id INTEGER PRIMARY KEY,
            idempotency_key TEXT NOT NULL,
            merchant_id TEXT NOT NULL REFERENCES merchant (id),
            customer_id TEXT NOT NULL,
            email TEXT NOT NULL,
            ip TEXT,
            country TEXT NOT NULL,
            billing_country TEXT,
            ip_country TEXT,
            currency TEXT NOT NULL,
            subtotal_minor INTEGER NOT NULL,
            vat_minor INTEGER NOT NULL,
            discount_minor INTEGER NOT NULL,
            shipping_minor INTEGER NOT NULL,
            total_minor INTEGER NOT NULL,
            refunded_minor INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            fraud_score INTEGER NOT NULL,
            fraud_reasons TEXT NOT NULL DEFAULT '',
            payment_method TEXT NOT NULL,
            payment_reference TEXT,
            codes TEXT NOT NULL DEFAULT '',
            placed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            request_digest TEXT NOT NULL DEFAULT '',
            UNIQUE (merchant_id, idempotency_key)
          ) STRICT;
          INSERT INTO orders_scoped (\(columns)) SELECT \(columns) FROM orders;
          DROP TABLE orders;
          ALTER TABLE orders_scoped RENAME TO orders;
          CREATE INDEX orders_customer ON orders (customer_id, placed_at);
          CREATE INDEX orders_email ON orders (email, placed_at);
          CREATE INDEX orders_ip ON orders (ip, placed_at);
          CREATE INDEX orders_pending ON orders (placed_at) WHERE status = 'pending';
          """)
    }
  }
}
