import GRDB

extension Store {
  /// The migrations of the import-path rebuild (issue 20).
  static func registerImportPathMigrations(_ migrator: inout DatabaseMigrator) {
    // Migration 0027: no query reads stock by its on-hand quantity alone (availability always
    // adds the reservations), yet every change of a level moved an entry of this index to
    // another place: dropping it halves the SQLite work of a million-row stock sync.
    migrator.registerMigration("0027-drop-stock-on-hand-index") { db in
      try db.execute(sql: "DROP INDEX IF EXISTS stock_on_hand")
    }
  }
}
