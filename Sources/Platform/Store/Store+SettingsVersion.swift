import GRDB

extension Store {
  /// The tables a running `mkt serve` compiles into its orders service and quotes: a change to
  /// any of them (by this process or another) moves ``settingsVersion()``.
  static let settingsTables = [
    "pricing_rule", "country_override", "currency_rate", "fraud_rule_set", "fraud_policy",
    "fraud_model", "payment_method_setting",
  ]

  /// Migration 0026: one counter, moved by triggers on every write to the settings tables, so a
  /// long-running process knows in one read whether what it compiled is still current.
  static func registerSettingsVersionMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0026-create-settings-version") { db in
      try db.execute(
        sql: """
          CREATE TABLE settings_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
          ) STRICT;
          INSERT INTO settings_version (id, version) VALUES (1, 0);
          """)
      for table in settingsTables {
        for event in ["INSERT", "UPDATE", "DELETE"] {
          try db.execute(
            sql: """
              CREATE TRIGGER settings_\(table)_\(event.lowercased()) AFTER \(event) ON \(table)
              BEGIN UPDATE settings_version SET version = version + 1 WHERE id = 1; END;
              """)
        }
      }
    }
  }

  /// A number that changes whenever pricing rules, country settings, exchange rates, fraud
  /// rules, policies or models, or payment settings change.
  public func settingsVersion() async throws -> Int64 {
    try await read { db in
      try Int64.fetchOne(db, sql: "SELECT version FROM settings_version WHERE id = 1") ?? 0
    }
  }
}
