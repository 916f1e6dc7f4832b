import GRDB

extension Store {
  /// Migration 0011: shopper events and the rollups kept at ingest (issue 16).
  ///
  /// - `analytics_name` maps the 64-bit ids events are stored with back to their texts
  ///   (products, queries, merchants, countries, channels, currencies, experiments, variants):
  ///   an id is a stable hash of the kind and the text, so ingest needs no look-up to intern.
  /// - `analytics_segment` names the (merchant, country, channel) combinations rollups are kept
  ///   for, by the hash of the three.
  /// - `analytics_block` holds the raw events compactly, in ingest order: per day, blocks of
  ///   fixed 96-byte records (times as seconds, users and sessions as 64-bit hashes, everything
  ///   else as ids). Blocks older than the retention setting are deleted; rollups are kept.
  /// - `analytics_state` holds, per day, what ingest must remember to count more of the day's
  ///   events exactly when they arrive later, as packed arrays: part 1, the keys of the events
  ///   stored (a hash of `event_id`, else of the content) with a digest of their content, which
  ///   make ingest idempotent; part 2, the sessions seen with their segment, cart, purchase and
  ///   view flags and their last search not yet followed by a product view; part 3, the users
  ///   seen with the segment of their first event.
  /// - `analytics_day`, `analytics_revenue`, `analytics_product_day` and `analytics_query_day` are
  ///   the rollups; `analytics_sketch` holds a HyperLogLog of each day's users, overall
  ///   (country 0) and per country, merged for distinct visitors over ranges.
  /// - `analytics_ab` counts, per experiment, variant, day and user, the user's tagged events,
  ///   purchases and revenue (per currency); `ab_experiment` holds the experiments `mkt ab create`
  ///   planned, with the sample size each variant needs.
  /// - `analytics_file` lists the files `mkt events ingest --follow DIR` took, by size and
  ///   modification time, so each is taken once.
  static func registerAnalyticsMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0011-create-analytics") { db in try db.execute(sql: createAnalytics)
    }
    // A day's product rollups packed in one blob sorted by product, rewritten from
    // `analytics_product_day` whenever the day changes: reports over a month merge 30 blobs
    // instead of stepping through millions of rows. Days without one are read from the table.
    migrator.registerMigration("0012-create-analytics-product-pack") { db in
      try db.execute(
        sql: """
          CREATE TABLE analytics_product_pack (
            day INTEGER PRIMARY KEY,
            pack BLOB NOT NULL
          ) STRICT;
          """)
    }
  }

  /// The statements of migration `0011-create-analytics`.
  static let createAnalytics = """
    CREATE TABLE analytics_name (
      id INTEGER PRIMARY KEY,
      kind INTEGER NOT NULL,
      name TEXT NOT NULL
    ) STRICT;
    CREATE TABLE analytics_segment (
      id INTEGER PRIMARY KEY,
      merchant INTEGER NOT NULL,
      country INTEGER NOT NULL,
      channel INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE analytics_block (
      id INTEGER PRIMARY KEY,
      day INTEGER NOT NULL,
      count INTEGER NOT NULL,
      events BLOB NOT NULL
    ) STRICT;
    CREATE INDEX analytics_block_day ON analytics_block (day);
    CREATE TABLE analytics_state (
      day INTEGER NOT NULL,
      part INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (day, part)
    ) STRICT;
    CREATE TABLE analytics_day (
      day INTEGER NOT NULL,
      segment INTEGER NOT NULL,
      page_views INTEGER NOT NULL DEFAULT 0,
      product_views INTEGER NOT NULL DEFAULT 0,
      carts INTEGER NOT NULL DEFAULT 0,
      purchases INTEGER NOT NULL DEFAULT 0,
      searches INTEGER NOT NULL DEFAULT 0,
      sessions INTEGER NOT NULL DEFAULT 0,
      view_sessions INTEGER NOT NULL DEFAULT 0,
      cart_sessions INTEGER NOT NULL DEFAULT 0,
      purchase_sessions INTEGER NOT NULL DEFAULT 0,
      visitors INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, segment)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE analytics_revenue (
      day INTEGER NOT NULL,
      segment INTEGER NOT NULL,
      currency INTEGER NOT NULL,
      amount_minor INTEGER NOT NULL,
      PRIMARY KEY (day, segment, currency)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE analytics_product_day (
      day INTEGER NOT NULL,
      product INTEGER NOT NULL,
      currency INTEGER NOT NULL,
      views INTEGER NOT NULL DEFAULT 0,
      carts INTEGER NOT NULL DEFAULT 0,
      purchases INTEGER NOT NULL DEFAULT 0,
      revenue_minor INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, product, currency)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE analytics_query_day (
      day INTEGER NOT NULL,
      query INTEGER NOT NULL,
      country INTEGER NOT NULL,
      searches INTEGER NOT NULL DEFAULT 0,
      zero_results INTEGER NOT NULL DEFAULT 0,
      clicks INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, query, country)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE analytics_sketch (
      day INTEGER NOT NULL,
      country INTEGER NOT NULL,
      registers BLOB NOT NULL,
      PRIMARY KEY (day, country)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE analytics_ab (
      experiment INTEGER NOT NULL,
      variant INTEGER NOT NULL,
      day INTEGER NOT NULL,
      user INTEGER NOT NULL,
      currency INTEGER NOT NULL,
      events INTEGER NOT NULL,
      purchases INTEGER NOT NULL,
      revenue_minor INTEGER NOT NULL,
      PRIMARY KEY (experiment, variant, day, user, currency)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE ab_experiment (
      name TEXT PRIMARY KEY,
      variants TEXT NOT NULL,
      split TEXT NOT NULL,
      metric TEXT NOT NULL,
      min_effect REAL NOT NULL,
      baseline REAL NOT NULL,
      planned_users INTEGER NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE TABLE analytics_file (
      path TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      modified INTEGER NOT NULL,
      events INTEGER NOT NULL,
      ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE TABLE analytics_setting (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
    """
}
