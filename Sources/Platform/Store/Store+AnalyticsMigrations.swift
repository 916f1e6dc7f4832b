import GRDB

extension Store {
  /// Migration 0011: shopper events and the rollups kept at ingest (issue 16).
  ///
  /// - `analytics_name` interns the texts events repeat (products, queries, merchants,
  ///   countries, channels, currencies, experiments, variants) as small integers, by kind.
  /// - `analytics_segment` numbers the (merchant, country, channel) combinations rollups are
  ///   kept for.
  /// - `analytics_event` holds the raw events compactly: times as seconds, users and sessions as
  ///   64-bit hashes of their ids, everything else interned. `key` (a hash of `event_id`, else of
  ///   the event's content) makes ingest idempotent; `digest` (of the content) tells a repeated
  ///   event from another event reusing its id. Raw events older than the retention setting are
  ///   deleted; rollups are kept forever.
  /// - `analytics_session` and `analytics_visitor` hold what ingest must remember about a day to
  ///   count it exactly when more of its events arrive later: the sessions and users seen that day
  ///   (with the segment of their first event), a session's cart and purchase flags, and its last
  ///   search not yet followed by a product view (for click-through).
  /// - `analytics_day`, `analytics_revenue`, `analytics_product_day` and `analytics_query_day` are
  ///   the rollups; `analytics_sketch` holds a HyperLogLog of each day's users, overall
  ///   (country 0) and per country, merged for distinct visitors over ranges.
  /// - `analytics_file` lists the files `mkt events ingest --follow DIR` took, by size and
  ///   modification time, so each is taken once.
  static func registerAnalyticsMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0011-create-analytics") { db in
      try db.execute(
        sql: """
          CREATE TABLE analytics_name (
            id INTEGER PRIMARY KEY,
            kind INTEGER NOT NULL,
            name TEXT NOT NULL,
            UNIQUE (kind, name)
          ) STRICT;
          CREATE TABLE analytics_segment (
            id INTEGER PRIMARY KEY,
            merchant INTEGER NOT NULL,
            country INTEGER NOT NULL,
            channel INTEGER NOT NULL,
            UNIQUE (merchant, country, channel)
          ) STRICT;
          CREATE TABLE analytics_event (
            id INTEGER PRIMARY KEY,
            key INTEGER NOT NULL,
            digest INTEGER NOT NULL,
            day INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            type INTEGER NOT NULL,
            user INTEGER NOT NULL,
            session INTEGER NOT NULL,
            segment INTEGER NOT NULL,
            product INTEGER NOT NULL,
            query INTEGER NOT NULL,
            price_minor INTEGER,
            currency INTEGER NOT NULL,
            results INTEGER,
            experiment INTEGER NOT NULL,
            variant INTEGER NOT NULL
          ) STRICT;
          CREATE UNIQUE INDEX analytics_event_key ON analytics_event (key);
          CREATE INDEX analytics_event_day ON analytics_event (day);
          CREATE INDEX analytics_event_experiment ON analytics_event (experiment, variant)
            WHERE experiment != 0;
          CREATE TABLE analytics_session (
            day INTEGER NOT NULL,
            session INTEGER NOT NULL,
            segment INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            query INTEGER NOT NULL,
            query_ts INTEGER NOT NULL,
            PRIMARY KEY (day, session)
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE analytics_visitor (
            day INTEGER NOT NULL,
            user INTEGER NOT NULL,
            segment INTEGER NOT NULL,
            PRIMARY KEY (day, user)
          ) STRICT, WITHOUT ROWID;
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
          """)
    }
  }
}
