import GRDB

extension Store {
  /// Migration 0013: the recommendation model `mkt recs train` writes (issue 17), replaced
  /// whole by each training in one transaction, so a killed training leaves the previous one.
  ///
  /// - `recs_model` holds the model's small parts by name: what it was trained on, the
  ///   categories with their re-buy cycles, the popular and trending heads, and each item's
  ///   category and brand as packed arrays.
  /// - `recs_item` holds, per item (the model's dense index), its product id and key and its
  ///   neighbour lists (similar products, complements), packed.
  /// - `recs_user` holds, per user (the hash events store), their packed profile: recent
  ///   products, baskets, categories and purchases.
  static func registerRecommendationMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0013-create-recommendations") { db in
      try db.execute(
        sql: """
          CREATE TABLE recs_model (
            name TEXT PRIMARY KEY,
            value BLOB NOT NULL
          ) STRICT;
          CREATE TABLE recs_item (
            item INTEGER PRIMARY KEY,
            key INTEGER NOT NULL,
            product TEXT NOT NULL,
            similar BLOB NOT NULL,
            complements BLOB NOT NULL
          ) STRICT;
          CREATE INDEX recs_item_key ON recs_item (key);
          CREATE TABLE recs_user (
            user INTEGER PRIMARY KEY,
            profile BLOB NOT NULL
          ) STRICT;
          """)
    }
  }
}

extension Store {
  /// Migration 0014: product ratings (issue 17).
  ///
  /// - `product_review` holds each review of a product (a review naming several products is a
  ///   row per product) with its rating normalised to 0–5; imported again, a review replaces
  ///   itself.
  /// - `product_rating` holds each reviewed product's average, count and Bayesian score,
  ///   recomputed by every ratings import.
  static func registerRatingMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0014-create-product-ratings") { db in
      try db.execute(
        sql: """
          CREATE TABLE product_review (
            review_id TEXT NOT NULL,
            merchant_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            rating REAL NOT NULL CHECK (rating BETWEEN 0 AND 5),
            reviewer TEXT NOT NULL DEFAULT '',
            reviewed_at TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            PRIMARY KEY (review_id, merchant_id, product_id)
          ) STRICT, WITHOUT ROWID;
          CREATE INDEX product_review_product ON product_review (merchant_id, product_id);
          CREATE TABLE product_rating (
            merchant_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            average REAL NOT NULL,
            reviews INTEGER NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (merchant_id, product_id)
          ) STRICT, WITHOUT ROWID;
          """)
    }
  }

  /// Migration 0015: search reads imported ratings (issue 17).
  ///
  /// A product's rating in search is its imported average where it has one (`product_rating`),
  /// else the feed's `product_rating` column. The triggers mark a product whose average is
  /// written as changed for search, as `product`'s own triggers (migration 0009) do.
  static func registerRatingSearchMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0015-search-reads-ratings") { db in
      try db.execute(
        sql: """
          CREATE TRIGGER product_rating_insert AFTER INSERT ON product_rating BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) SELECT doc FROM product
              WHERE merchant_id = new.merchant_id AND id = new.product_id;
          END;
          CREATE TRIGGER product_rating_update AFTER UPDATE OF average ON product_rating
          WHEN old.average IS NOT new.average BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) SELECT doc FROM product
              WHERE merchant_id = new.merchant_id AND id = new.product_id;
          END;
          CREATE TRIGGER product_rating_delete AFTER DELETE ON product_rating BEGIN
            UPDATE search_state SET version = version + 1, stamp = random();
            INSERT OR IGNORE INTO search_change (doc) SELECT doc FROM product
              WHERE merchant_id = old.merchant_id AND id = old.product_id;
          END;
          """)
    }
  }

  /// Migration 0016: lists read products, ratings, stock and the model's products by id across
  /// merchants (issue 17).
  ///
  /// Recommendations, badges and `catalog show` without `--merchant` know a product by its id
  /// alone; without these indexes each such read scanned the whole table (0.7 s a list at a
  /// million products).
  static func registerShelfMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0016-index-ids-across-merchants") { db in
      try db.execute(
        sql: """
          CREATE INDEX product_by_id ON product (id);
          CREATE INDEX product_rating_by_product ON product_rating (product_id);
          CREATE INDEX stock_by_sku ON stock (sku);
          CREATE INDEX recs_item_product ON recs_item (product);
          """)
    }
  }

  /// Migration 0017: each merchant's low-stock threshold (issue 17), owned by Inventory: the
  /// `low-stock` badge and `mkt inventory low --merchant` read it (5 where none is set).
  static func registerLowStockMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0017-create-inventory-setting") { db in
      try db.execute(
        sql: """
          CREATE TABLE inventory_setting (
            merchant_id TEXT NOT NULL PRIMARY KEY REFERENCES merchant (id) ON DELETE CASCADE,
            low_stock INTEGER NOT NULL CHECK (low_stock >= 0)
          ) STRICT;
          """)
    }
  }
}
