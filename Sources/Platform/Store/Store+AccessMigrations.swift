import GRDB

extension Store {
  /// Migration 0021: API tokens for `mkt serve` (issue 19).
  ///
  /// Only a SHA-256 hash of each token's secret is kept; the public id is the lookup key. A token
  /// without a merchant is an operator's (every merchant). `scopes` is a space-separated list.
  static func registerAccessMigrations(_ migrator: inout DatabaseMigrator) {
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
  }
}
