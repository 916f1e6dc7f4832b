import GRDB

extension Store {
  /// Migrations 0021 and 0022: API tokens and webhooks for `mkt serve` (issue 19).
  ///
  /// Only a SHA-256 hash of each token's secret is kept; the public id is the lookup key. A token
  /// without a merchant is an operator's (every merchant). `scopes` is a space-separated list.
  static func registerServerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0021-create-api-token") { db in
      try db.execute(
        sql: """
          CREATE TABLE api_token (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            merchant_id TEXT REFERENCES merchant (id) ON DELETE CASCADE,
            scopes TEXT NOT NULL,
            secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
            created_at TEXT NOT NULL,
            expires_at TEXT,
            revoked_at TEXT
          ) STRICT, WITHOUT ROWID;
          CREATE INDEX api_token_merchant ON api_token (merchant_id);
          """)
    }

    migrator.registerMigration("0022-create-webhooks") { db in
      // Endpoints per merchant; a delivery per (endpoint, outbox event), queued when the
      // deliverer fans the outbox out (`last_outbox_id`), marked delivered only after a 2xx.
      try db.execute(
        sql: """
          CREATE TABLE webhook_endpoint (
            id INTEGER PRIMARY KEY,
            merchant_id TEXT NOT NULL REFERENCES merchant (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_outbox_id INTEGER NOT NULL
          ) STRICT;
          CREATE TABLE webhook_delivery (
            endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
            outbox_id INTEGER NOT NULL REFERENCES outbox (id),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            first_attempt_at INTEGER,
            last_status INTEGER,
            last_error TEXT,
            delivered_at TEXT,
            failed_at TEXT,
            PRIMARY KEY (endpoint_id, outbox_id)
          ) STRICT, WITHOUT ROWID;
          CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at)
            WHERE delivered_at IS NULL AND failed_at IS NULL;
          """)
    }
  }
}

extension Store {
  /// Migration 0023: the change journal `mkt push` sends from, written by triggers in the
  /// transaction that changes a product or a stock level (issue 19), and the push positions.
  static func registerJournalMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0023-create-change-journal") { db in
      try db.execute(
        sql: """
          CREATE TABLE change_journal (
            seq INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('product', 'stock')),
            merchant_id TEXT NOT NULL,
            key TEXT NOT NULL,
            warehouse_id TEXT NOT NULL DEFAULT ''
          ) STRICT;
          CREATE TRIGGER journal_product_insert AFTER INSERT ON product BEGIN
            INSERT INTO change_journal (kind, merchant_id, key) VALUES ('product', new.merchant_id, new.id);
          END;
          CREATE TRIGGER journal_product_update AFTER UPDATE OF content_hash ON product
          WHEN old.content_hash != new.content_hash BEGIN
            INSERT INTO change_journal (kind, merchant_id, key) VALUES ('product', new.merchant_id, new.id);
          END;
          CREATE TRIGGER journal_product_delete AFTER DELETE ON product BEGIN
            INSERT INTO change_journal (kind, merchant_id, key) VALUES ('product', old.merchant_id, old.id);
          END;
          CREATE TRIGGER journal_stock_insert AFTER INSERT ON stock BEGIN
            INSERT INTO change_journal (kind, merchant_id, key, warehouse_id)
            VALUES ('stock', new.merchant_id, new.sku, new.warehouse_id);
          END;
          CREATE TRIGGER journal_stock_update AFTER UPDATE OF on_hand ON stock
          WHEN old.on_hand != new.on_hand BEGIN
            INSERT INTO change_journal (kind, merchant_id, key, warehouse_id)
            VALUES ('stock', new.merchant_id, new.sku, new.warehouse_id);
          END;
          CREATE TRIGGER journal_stock_delete AFTER DELETE ON stock BEGIN
            INSERT INTO change_journal (kind, merchant_id, key, warehouse_id)
            VALUES ('stock', old.merchant_id, old.sku, old.warehouse_id);
          END;
          -- Rows stored before the journal existed count as changed once.
          INSERT INTO change_journal (kind, merchant_id, key)
            SELECT 'product', merchant_id, id FROM product ORDER BY merchant_id, id;
          INSERT INTO change_journal (kind, merchant_id, key, warehouse_id)
            SELECT 'stock', merchant_id, sku, warehouse_id FROM stock
            ORDER BY merchant_id, sku, warehouse_id;
          CREATE TABLE push_target (
            url TEXT PRIMARY KEY NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            pushed INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            updated_at TEXT NOT NULL
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE push_sent (
            url TEXT NOT NULL,
            merchant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            content_hash INTEGER NOT NULL,
            PRIMARY KEY (url, merchant_id, id)
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE http_receipt (
            merchant_id TEXT NOT NULL,
            key TEXT NOT NULL,
            route TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (merchant_id, key, route)
          ) STRICT, WITHOUT ROWID;
          """)
    }
    registerStockLowMigration(&migrator)
    registerJournalKindsMigration(&migrator)
    registerSettingsVersionMigration(&migrator)
    registerImportPathMigrations(&migrator)
  }

  /// The low-stock threshold of a merchant that sets none (`inventory_setting`).
  public static let lowStockDefault: Int64 = 5

  /// Migration 0024: `stock.low` events in the outbox, written by triggers in the transaction
  /// that takes a sku's available quantity (on hand plus the reservation ledger, over all its
  /// merchant's warehouses) below the merchant's low-stock threshold.
  ///
  /// `stock_low` holds the skus that are low now: a sku fires once when it becomes low and again
  /// only after it recovered. Only decreases can make a sku low (a hold, a sync taking stock
  /// away), so a first stock row arriving with little is not an event. Shipping compensates the
  /// hold first and then takes the stock (`Reservations.fulfil`): the compensation is not a
  /// recovery, and the decrease sees the final level. The outbox now names the merchant of each
  /// event, order events included.
  static func registerStockLowMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0024-create-stock-low-events") { db in
      let available = """
        (SELECT coalesce(sum(on_hand), 0) FROM stock
           WHERE merchant_id = new.merchant_id AND sku = new.sku)
        + (SELECT coalesce(sum(quantity), 0) FROM reservation
           WHERE merchant_id = new.merchant_id AND sku = new.sku)
        """
      let threshold = """
        coalesce((SELECT low_stock FROM inventory_setting WHERE merchant_id = new.merchant_id), \
        \(lowStockDefault))
        """
      let becameLow = """
        INSERT INTO stock_low (merchant_id, sku)
          SELECT new.merchant_id, new.sku WHERE \(available) < \(threshold)
          ON CONFLICT DO NOTHING;
        INSERT INTO outbox (topic, order_id, merchant_id, payload)
          SELECT 'stock.low', NULL, new.merchant_id,
            json_object('sku', new.sku, 'available', \(available), 'threshold', \(threshold),
              'warehouse_id', new.warehouse_id)
          WHERE changes() = 1;
        """
      let recovered = """
        DELETE FROM stock_low WHERE merchant_id = new.merchant_id AND sku = new.sku
          AND \(available) >= \(threshold);
        """
      try db.execute(
        sql: """
          ALTER TABLE outbox ADD COLUMN merchant_id TEXT;
          UPDATE outbox SET merchant_id = (SELECT merchant_id FROM orders WHERE id = order_id);
          CREATE TABLE stock_low (
            merchant_id TEXT NOT NULL,
            sku TEXT NOT NULL,
            PRIMARY KEY (merchant_id, sku)
          ) STRICT, WITHOUT ROWID;
          CREATE TRIGGER stock_low_on_hand AFTER UPDATE OF on_hand ON stock
          WHEN new.on_hand < old.on_hand BEGIN \(becameLow) END;
          CREATE TRIGGER stock_low_hold AFTER INSERT ON reservation
          WHEN new.quantity < 0 BEGIN \(becameLow) END;
          CREATE TRIGGER stock_low_restocked AFTER UPDATE OF on_hand ON stock
          WHEN new.on_hand > old.on_hand BEGIN \(recovered) END;
          CREATE TRIGGER stock_low_new_row AFTER INSERT ON stock BEGIN \(recovered) END;
          CREATE TRIGGER stock_low_released AFTER INSERT ON reservation
          WHEN new.quantity > 0 AND new.reason != 'fulfilled' BEGIN \(recovered) END;
          """)
    }
  }
}
