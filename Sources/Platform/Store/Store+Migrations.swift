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
    migrator.registerMigration("0003-index-product-search") { db in
      try db.execute(sql: indexProductSearch)
    }
    migrator.registerMigration("0004-create-feed-source") { db in
      // The cache validators of remote feeds, per URL: the next import asks "changed since?".
      // Written in the import's transaction, so a failed import is fetched again next time.
      try db.execute(
        sql: """
          CREATE TABLE feed_source (
            url TEXT NOT NULL PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ) STRICT
          """)
    }
    migrator.registerMigration("0005-create-search-vocabulary") { db in
      // `search_vocab` copies the index's words and document counts for typo correction and
      // autocomplete; search refreshes it once a tenth of the catalog changed (`changed`,
      // counted by imports) and `mkt search reindex` rebuilds it. `search_synonym` holds the
      // synonym groups per language (`mkt search synonyms load`).
      try db.execute(
        sql: """
          CREATE TABLE search_vocab (
            term TEXT NOT NULL PRIMARY KEY,
            docs INTEGER NOT NULL
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            vocab_docs INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            built_at TEXT NOT NULL DEFAULT ''
          ) STRICT;
          INSERT INTO search_state (id, changed) VALUES (1, (SELECT count(*) FROM product));
          CREATE TABLE search_synonym (
            language TEXT NOT NULL,
            term TEXT NOT NULL,
            group_id INTEGER NOT NULL,
            PRIMARY KEY (language, term, group_id)
          ) STRICT, WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("0006-create-inventory") { db in
      // Warehouses per merchant, each serving a set of countries (`serves`: space-separated
      // codes). Stock per (merchant, sku, warehouse): `on_hand` can never go below zero (CHECK,
      // and every change is a guarded UPDATE). `source_updated_at` is the ERP's time of the
      // last applied row: older rows are skipped. `stock_sync` records each applied sync by its
      // id (the file's checksum or --sync-id), so applying it again changes nothing.
      try db.execute(
        sql: """
          CREATE TABLE warehouse (
            merchant_id TEXT NOT NULL REFERENCES merchant (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            serves TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (merchant_id, id)
          ) STRICT;
          CREATE TABLE stock (
            merchant_id TEXT NOT NULL,
            sku TEXT NOT NULL,
            warehouse_id TEXT NOT NULL,
            on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
            source_updated_at TEXT,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (merchant_id, sku, warehouse_id),
            FOREIGN KEY (merchant_id, warehouse_id) REFERENCES warehouse (merchant_id, id)
              ON DELETE CASCADE
          ) STRICT, WITHOUT ROWID;
          CREATE INDEX stock_on_hand ON stock (on_hand);
          CREATE TABLE stock_sync (
            sync_id TEXT NOT NULL PRIMARY KEY,
            merchant_id TEXT,
            source TEXT NOT NULL,
            mode TEXT NOT NULL,
            rows INTEGER NOT NULL,
            changed INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ) STRICT;
          """)
    }
    registerCommerceMigrations(&migrator)
    registerSearchMigrations(&migrator)
    registerOrderKeyMigrations(&migrator)
    registerAnalyticsMigrations(&migrator)
    registerRecommendationMigrations(&migrator)
    registerRatingMigrations(&migrator)
    registerRatingSearchMigrations(&migrator)
    registerShelfMigrations(&migrator)
    registerLowStockMigrations(&migrator)
    registerFraudMigrations(&migrator)
    registerServerMigrations(&migrator)
    registerJournalMigrations(&migrator)
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

  /// The statements of migration `0003-index-product-search`.
  ///
  /// Search needs a stable integer document id: a rowid that VACUUM may renumber will not do,
  /// so the product table is rebuilt with `doc INTEGER PRIMARY KEY`. `description` is the
  /// feed's description as plain text (HTML stripped) and `tags` the words shoppers search
  /// for beyond title, brand and category (Shopify tags, colour, material, pattern); both are
  /// written by the import. `product_search` indexes them through a view, and the triggers
  /// below keep it in step with every write to `product`, inside the same transaction: the
  /// catalog and its index cannot diverge, whatever writes the table.
  /// `product_translation` holds a product's title and description in the languages other
  /// than the one of its latest feed.
  static let indexProductSearch = """
    CREATE TABLE product_new (
      doc INTEGER PRIMARY KEY,
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
      description TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '',
      attributes TEXT NOT NULL,
      attribute_mask INTEGER NOT NULL,
      content_hash INTEGER NOT NULL,
      source_hash INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      UNIQUE (merchant_id, id)
    ) STRICT;
    INSERT INTO product_new (merchant_id, id, title, brand, product_type,
      google_product_category, item_group_id, availability, price_minor, sale_price_minor,
      currency, gtin, language, description, attributes, attribute_mask, content_hash,
      source_hash, created_at, updated_at)
    SELECT merchant_id, id, title, brand, product_type, google_product_category,
      item_group_id, availability, price_minor, sale_price_minor, currency, gtin, language,
      coalesce(json_extract(attributes, '$.description'), ''), attributes, attribute_mask,
      content_hash, 0, created_at, updated_at
    FROM product ORDER BY merchant_id, id;
    DROP TABLE product;
    ALTER TABLE product_new RENAME TO product;
    CREATE INDEX product_item_group ON product (merchant_id, item_group_id);
    CREATE TABLE product_translation (
      doc INTEGER NOT NULL REFERENCES product (doc) ON DELETE CASCADE,
      language TEXT NOT NULL,
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      PRIMARY KEY (doc, language)
    ) STRICT, WITHOUT ROWID;
    CREATE VIEW product_search_source AS
      SELECT doc, title, coalesce(brand, '') AS brand,
        trim(coalesce(google_product_category, '') || ' ' || coalesce(product_type, ''))
          AS category,
        description, tags
      FROM product;
    CREATE VIRTUAL TABLE product_search USING fts5 (
      title, brand, category, description, tags,
      content = 'product_search_source', content_rowid = 'doc',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER product_search_insert AFTER INSERT ON product BEGIN
      INSERT INTO product_search (rowid, title, brand, category, description, tags)
      VALUES (new.doc, new.title, coalesce(new.brand, ''),
        trim(coalesce(new.google_product_category, '') || ' '
          || coalesce(new.product_type, '')),
        new.description, new.tags);
    END;
    CREATE TRIGGER product_search_delete AFTER DELETE ON product BEGIN
      INSERT INTO product_search (product_search, rowid, title, brand, category,
        description, tags)
      VALUES ('delete', old.doc, old.title, coalesce(old.brand, ''),
        trim(coalesce(old.google_product_category, '') || ' '
          || coalesce(old.product_type, '')),
        old.description, old.tags);
    END;
    CREATE TRIGGER product_search_update
    AFTER UPDATE OF title, brand, google_product_category, product_type, description, tags
    ON product BEGIN
      INSERT INTO product_search (product_search, rowid, title, brand, category,
        description, tags)
      VALUES ('delete', old.doc, old.title, coalesce(old.brand, ''),
        trim(coalesce(old.google_product_category, '') || ' '
          || coalesce(old.product_type, '')),
        old.description, old.tags);
      INSERT INTO product_search (rowid, title, brand, category, description, tags)
      VALUES (new.doc, new.title, coalesce(new.brand, ''),
        trim(coalesce(new.google_product_category, '') || ' '
          || coalesce(new.product_type, '')),
        new.description, new.tags);
    END;
    INSERT INTO product_search (product_search) VALUES ('rebuild');
    """
}
