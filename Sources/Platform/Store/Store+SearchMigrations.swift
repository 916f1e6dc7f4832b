import GRDB

extension Store {
  /// Migration 0009: what search keeps beside the FTS5 index to answer without ranking every
  /// hit in SQL (registered after the commerce migrations).
  static func registerSearchMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0009-create-search-columns") { db in
      // `search_state.version` counts writes to `product` and `search_change` lists the
      // products written: the triggers record both in the writing transaction, so anything
      // derived from the catalog and stamped with the version it was built from is current
      // exactly when the stamps agree, crash or not, and can be brought up to date from the
      // products listed. `stamp` changes at random with every write: a process that keeps
      // copies in memory tells a file replaced under the same name (a restore) at the same
      // version from the one it read.
      // `search_column` holds the per-product arrays search filters, counts facets and ranks
      // with (brand, category, price, …, each product's token count), stamped with the
      // version; a stale row is never read. `search_posting` holds the postings of the words
      // in many products (product ids and column weights, delta-encoded), valid for the version
      // of `search_column`'s `postings` row: the words shoppers type most are read as one row
      // instead of walking the index.
      // `product_search_instance` exposes the index's postings (product, column) per word and
      // `product_search_words` its words with their product counts.
      try db.execute(
        sql: """
          ALTER TABLE search_state ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE search_state ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
          UPDATE search_state SET stamp = random();
          CREATE TABLE search_change (doc INTEGER PRIMARY KEY) STRICT;
          CREATE TRIGGER product_version_insert AFTER INSERT ON product BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) VALUES (new.doc);
          END;
          CREATE TRIGGER product_version_update AFTER UPDATE ON product BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) VALUES (old.doc), (new.doc);
          END;
          CREATE TRIGGER product_version_delete AFTER DELETE ON product BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) VALUES (old.doc);
          END;
          CREATE TABLE search_column (
            name TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            data BLOB NOT NULL
          ) STRICT;
          CREATE TABLE search_posting (
            term TEXT NOT NULL PRIMARY KEY,
            data BLOB NOT NULL
          ) STRICT;
          CREATE VIRTUAL TABLE product_search_instance
            USING fts5vocab(product_search, instance);
          CREATE VIRTUAL TABLE product_search_words USING fts5vocab(product_search, row);
          """)
    }
  }
}
