import GRDB

extension Store {
  /// Migrations 0007 and 0008: rates and pricing, then orders (registered in order after
  /// 0006 by ``migrator``).
  static func registerCommerceMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0007-create-rates-and-pricing") { db in
      try db.execute(sql: createRatesAndPricing)
    }
    migrator.registerMigration("0008-create-orders") { db in try db.execute(sql: createOrders) }
  }

  /// The statements of migration `0007-create-rates-and-pricing`.
  ///
  /// ECB reference rates by day: units of `currency` one euro buys, as published (decimal
  /// text, never a float). `country_override` holds `mkt locale import` changes to the
  /// shipped country table, one JSON object per country. `pricing_rule` holds loaded rules
  /// (the whole validated rule as JSON; the columns are what listing filters by).
  /// `promo_redemption` counts uses of promo codes for single-use and per-customer limits.
  static let createRatesAndPricing = """
    CREATE TABLE currency_rate (
      currency TEXT NOT NULL,
      day TEXT NOT NULL,
      rate TEXT NOT NULL,
      source TEXT NOT NULL,
      imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (currency, day)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE country_override (
      code TEXT NOT NULL PRIMARY KEY,
      country TEXT NOT NULL,
      source TEXT NOT NULL,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE TABLE pricing_rule (
      id TEXT NOT NULL PRIMARY KEY,
      kind TEXT NOT NULL,
      priority INTEGER NOT NULL,
      merchant_id TEXT,
      code TEXT,
      rule TEXT NOT NULL,
      source TEXT NOT NULL,
      loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE UNIQUE INDEX pricing_rule_code ON pricing_rule (code) WHERE code IS NOT NULL;
    CREATE TABLE promo_redemption (
      code TEXT NOT NULL,
      customer TEXT NOT NULL,
      reference TEXT NOT NULL,
      redeemed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (code, reference)
    ) STRICT;
    CREATE INDEX promo_redemption_customer ON promo_redemption (code, customer);
    """

  /// The statements of migration `0008-create-orders`.
  ///
  /// Orders (DESIGN.md §6c). `reservation` is a ledger (Magento MSI style): placing an order
  /// appends −quantity per sku and warehouse, fulfilment, cancellation and expiry append the
  /// compensating +quantity; available = stock.on_hand + SUM(quantity). Rows of closed
  /// orders sum to zero and are compacted away. `orders.id` increases in commit order (one
  /// writer at a time), so it is the export watermark (`export_watermark`). `order_event` is
  /// the status history; `outbox` holds events for other systems, written in the same
  /// transaction as the change they announce. `merchant.split_lines` lets an order line be
  /// served from several warehouses.
  static let createOrders = """
    ALTER TABLE merchant ADD COLUMN split_lines INTEGER NOT NULL DEFAULT 0
      CHECK (split_lines IN (0, 1));
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
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
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX orders_customer ON orders (customer_id, placed_at);
    CREATE INDEX orders_email ON orders (email, placed_at);
    CREATE INDEX orders_ip ON orders (ip, placed_at);
    CREATE INDEX orders_pending ON orders (placed_at) WHERE status = 'pending';
    CREATE TABLE order_line (
      order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      sku TEXT NOT NULL,
      title TEXT NOT NULL,
      warehouse_id TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      unit_minor INTEGER NOT NULL,
      total_minor INTEGER NOT NULL,
      vat_minor INTEGER NOT NULL,
      vat_rate TEXT NOT NULL,
      fulfilled INTEGER NOT NULL DEFAULT 0,
      refunded INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (order_id, line)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE reservation (
      id INTEGER PRIMARY KEY,
      merchant_id TEXT NOT NULL,
      sku TEXT NOT NULL,
      warehouse_id TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      order_id INTEGER NOT NULL,
      reason TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE INDEX reservation_stock ON reservation (merchant_id, sku, warehouse_id);
    CREATE INDEX reservation_order ON reservation (order_id);
    CREATE TABLE order_event (
      order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      from_status TEXT,
      to_status TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL,
      PRIMARY KEY (order_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      topic TEXT NOT NULL,
      order_id INTEGER,
      payload TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      delivered_at TEXT
    ) STRICT;
    CREATE TABLE export_watermark (
      name TEXT NOT NULL PRIMARY KEY,
      last_order_id INTEGER NOT NULL,
      exported INTEGER NOT NULL,
      pending_to INTEGER,
      pending_count INTEGER,
      pending_file TEXT,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    """
}
