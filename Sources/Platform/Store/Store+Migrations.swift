import GRDB

/// The schema, as numbered, append-only migrations: `NNNN-verb-noun`, raw SQL, STRICT tables.
///
/// Conventions: singular snake_case tables; `merchant_id` first in merchant-owned keys; times are
/// UTC ISO-8601 text with milliseconds (`2026-11-25T17:40:00.123Z`) unless a table says otherwise.
/// Never edit a shipped migration: add the next number.
extension Store {
  static let migrator: DatabaseMigrator = {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("0001-create-merchant") { db in
      try db.execute(
        sql: """
          CREATE TABLE merchant (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            currency TEXT NOT NULL,
            price_basis TEXT NOT NULL DEFAULT 'gross' CHECK (price_basis IN ('gross', 'net')),
            domain TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ) STRICT
          """)
    }
    migrator.registerMigration("0002-create-product") { db in
      // One row per (merchant, product id). `attributes` is the product's canonical JSON line
      // (`mkt feed normalize`), the source of truth; the typed columns beside it are copies for
      // filtering and search. `content_hash` is a 64-bit hash of `attributes`: an import compares
      // hashes to find unchanged products without reading them.
      try db.execute(
        sql: """
          CREATE TABLE product (
            merchant_id TEXT NOT NULL REFERENCES merchant (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            brand TEXT,
            product_type TEXT,
            google_product_category TEXT,
            item_group_id TEXT,
            availability TEXT,
            price_minor INTEGER,
            sale_price_minor INTEGER,
            currency TEXT,
            gtin TEXT,
            language TEXT,
            attributes TEXT NOT NULL,
            attribute_mask INTEGER NOT NULL,
            content_hash INTEGER NOT NULL,
            source_hash INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (merchant_id, id)
          ) STRICT;
          CREATE INDEX product_item_group ON product (merchant_id, item_group_id);
          CREATE TABLE import_run (
            id INTEGER PRIMARY KEY,
            merchant_id TEXT,
            source TEXT NOT NULL,
            checksum TEXT,
            mode TEXT NOT NULL,
            dry_run INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            message TEXT,
            rows INTEGER NOT NULL DEFAULT 0,
            inserted INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ) STRICT;
          """)
    }
    return migrator
  }()

  /// The newest schema version this binary knows: the number of its last migration.
  public static var schemaVersion: Int {
    migrator.migrations.last.flatMap(Store.version(of:)) ?? 0
  }

  /// The number a migration identifier starts with: `0001-create-merchant` is 1.
  static func version(of identifier: String) -> Int? {
    Int(identifier.prefix { $0.isNumber })
  }
}
