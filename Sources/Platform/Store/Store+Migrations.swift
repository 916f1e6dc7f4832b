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
