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
    registerFraudDecisionMigration(&migrator)
    registerPaymentMigration(&migrator)
  }

  /// Migration 0019: what decides an order beyond the built-in weights (issue 18).
  ///
  /// - `fraud_observation` holds all the fraud module reads of an order, so explanations,
  ///   training and backtests need no other table: its countries, the account's creation, the
  ///   channel, the largest line's quantity (copied from the orders), and `paid_at`, when it
  ///   was paid (seconds since 1970), so a signal counts the customer's paid orders as of any
  ///   time (orders paid before: their placement time). The customer's index covers it, the
  ///   IP and the email; the merchant's index orders ties in time by order id, so a
  ///   merchant's last 100 orders are the same set whether read or kept in a replay; a
  ///   backtest walks the orders in time order through `fraud_time` instead of sorting them.
  /// - `fraud_rule_set`: the rules file in force, as loaded (one row).
  /// - `fraud_policy`: per merchant, the score from which an order waits in review and the one
  ///   from which it is refused, in thousandths.
  /// - `fraud_model`: trained models, the newest in force; each a JSON document.
  /// - `fraud_label`: what is known of an order afterwards: fraud (1) or not (0), and from
  ///   where (a chargeback file, a review decision).
  /// - `fraud_refusal`: orders refused by a block, keyed as orders are, so a retry with the
  ///   same key gets the same refusal.
  /// - `fraud_decline`: payments the gateway declined, by key (`card:…`, `customer:…`,
  ///   `ip:…`, `device:…`) and time, for the declines signals (a declined order leaves nothing
  ///   else behind).
  static func registerFraudDecisionMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0019-create-fraud-decisions") { db in
      try db.execute(
        sql: """
          ALTER TABLE fraud_observation ADD COLUMN country TEXT NOT NULL DEFAULT '';
          ALTER TABLE fraud_observation ADD COLUMN billing_country TEXT;
          ALTER TABLE fraud_observation ADD COLUMN ip_country TEXT;
          ALTER TABLE fraud_observation ADD COLUMN customer_created_at INTEGER;
          ALTER TABLE fraud_observation ADD COLUMN channel TEXT;
          ALTER TABLE fraud_observation ADD COLUMN quantity INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE fraud_observation ADD COLUMN paid_at INTEGER;
          UPDATE fraud_observation SET
            country = r.country, billing_country = r.billing_country, ip_country = r.ip_country,
            customer_created_at = CAST(strftime('%s', r.customer_created_at) AS INTEGER),
            channel = r.channel,
            quantity = coalesce((SELECT max(quantity) FROM order_line
                                 WHERE order_id = fraud_observation.order_id), 0),
            paid_at = CASE WHEN r.status IN ('paid', 'partially_fulfilled', 'fulfilled',
              'completed', 'refunded') THEN fraud_observation.at END
          FROM orders r WHERE r.id = fraud_observation.order_id;
          CREATE INDEX fraud_time ON fraud_observation (at, order_id);
          DROP INDEX fraud_merchant;
          CREATE INDEX fraud_merchant
            ON fraud_observation (merchant_id, at, order_id, amount_eur, sku);
          DROP INDEX fraud_customer;
          CREATE INDEX fraud_customer
            ON fraud_observation (customer_id, at, amount_eur, card, paid_at, ip, email);
          CREATE TABLE fraud_rule_set (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            file TEXT NOT NULL,
            source TEXT NOT NULL,
            loaded_at TEXT NOT NULL
          ) STRICT;
          CREATE TABLE fraud_policy (
            merchant_id TEXT PRIMARY KEY REFERENCES merchant (id) ON DELETE CASCADE,
            review_at INTEGER NOT NULL CHECK (review_at BETWEEN 0 AND 1000),
            block_at INTEGER CHECK (block_at BETWEEN 0 AND 1000)
          ) STRICT;
          CREATE TABLE fraud_model (
            id INTEGER PRIMARY KEY,
            trained_at TEXT NOT NULL,
            body TEXT NOT NULL
          ) STRICT;
          CREATE TABLE fraud_label (
            order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
            fraud INTEGER NOT NULL CHECK (fraud IN (0, 1)),
            source TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
          ) STRICT;
          CREATE TABLE fraud_refusal (
            merchant_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request_digest TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            score INTEGER NOT NULL,
            reasons TEXT NOT NULL,
            total_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (merchant_id, idempotency_key)
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE fraud_decline (key TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
          CREATE INDEX fraud_decline_key ON fraud_decline (key, at);
          """)
    }
  }

  /// Migration 0020: which payment methods each merchant offers, where it differs from the
  /// shipped default (issue 18).
  static func registerPaymentMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0020-create-payment-method-setting") { db in
      try db.execute(
        sql: """
          CREATE TABLE payment_method_setting (
            merchant_id TEXT NOT NULL REFERENCES merchant (id) ON DELETE CASCADE,
            method TEXT NOT NULL,
            enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            PRIMARY KEY (merchant_id, method)
          ) STRICT, WITHOUT ROWID;
          """)
    }
  }
}
