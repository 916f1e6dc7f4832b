package import GRDB

/// Search's upkeep inside a catalog write: the one door through which Catalog touches Search's
/// tables, in Catalog's transaction, so a failure rolls both back together.
///
/// ``begin(_:bulk:)`` suspends the row-by-row insert triggers of the index and of the catalog
/// version when the write inserts products in bulk; ``finish(_:changed:)`` indexes the products
/// inserted since in one pass (several times faster than row by row), lists them as changed and
/// moves the version on, restores the triggers, and counts the changed products towards the
/// next vocabulary refresh. Updates and removals go through their triggers: they only touch
/// products stored before the write (an id appears once per feed), never one inserted by it.
package struct ProductIndex {
  /// The suspended triggers' statements, to restore; empty when the write is not in bulk.
  private let triggers: [String]
  private let firstDoc: Int64

  /// The row-by-row triggers a bulk write suspends: the index's, and the one that bumps the
  /// catalog version and lists the product as changed (a statement per row each).
  static let names = ["product_search_insert", "product_version_insert"]
  /// The bytes of new terms FTS5 holds in memory before it writes them out as a segment.
  static let hashSize = 16 << 20
  /// The segments per level FTS5 lets pile up before merging them, in a bulk build and after.
  static let (bulkMerge, merge) = (16, 4)

  /// Starts a catalog write; with `bulk`, new products are indexed at ``finish(_:changed:)``.
  package static func begin(_ db: Database, bulk: Bool) throws -> ProductIndex {
    guard bulk else { return ProductIndex(triggers: [], firstDoc: 0) }
    let triggers = try names.map { name in
      guard
        let trigger = try String.fetchOne(
          db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
          arguments: [name])
      else {
        throw DatabaseError(message: "the search trigger \(name) is missing")
      }
      return trigger
    }
    let firstDoc = (try Int64.fetchOne(db, sql: "SELECT max(doc) FROM product") ?? 0) + 1
    for name in names { try db.execute(sql: "DROP TRIGGER \(name)") }
    return ProductIndex(triggers: triggers, firstDoc: firstDoc)
  }

  /// Indexes the products inserted since ``begin(_:bulk:)``, lists them as changed and moves
  /// the catalog version on by their number, restores the triggers, and adds `changed`
  /// (products inserted, updated or removed) to the count that refreshes the vocabulary once a
  /// tenth of the catalog changed.
  package func finish(_ db: Database, changed: Int) throws {
    if !triggers.isEmpty {
      // The index reads the new rows once, in order, and writes new pages: a small cache does
      // as well, and the import's 32 MiB would sit beside FTS5's own memory.
      try SearchService.withSmallCache(db, kibibytes: 4096) {
        // FTS5 gathers new terms in memory and writes them out as a segment each time they
        // pass `hashsize`, and merges segments once `automerge` of them pile up on a level,
        // rewriting each term at every level. The sqlite3 shell building a million products'
        // index, same run: 1 MiB and 4 (SQLite's defaults) 5.3 s of CPU, 8 MiB and 4 3.9-4.1
        // s, 16 MiB and 16 2.4-2.7 s, for 10 MB more than 8 MiB and as few segments at the
        // end (12). FTS5 keeps both settings in its config table: later, smaller writes merge
        // at the default again.
        try db.execute(
          sql: """
            INSERT INTO product_search (product_search, rank) VALUES ('hashsize', \(Self.hashSize));
            INSERT INTO product_search (product_search, rank) VALUES ('automerge', \(Self.bulkMerge));
            INSERT INTO product_search (rowid, title, brand, category, description, tags)
            SELECT doc, title, brand, category, description, tags FROM product_search_source
            WHERE doc >= ?;
            INSERT INTO product_search (product_search, rank) VALUES ('automerge', \(Self.merge));
            """, arguments: [firstDoc])
      }
      // What `product_version_insert` does per row, for all of them at once; nothing when no
      // product was inserted (the stamp of an unchanged catalog stays, and its saved files).
      // New products take the documents after the largest, one by one: the range is read from
      // the ends of the table, not by reading every new row again.
      let last = try Int64.fetchOne(db, sql: "SELECT max(doc) FROM product") ?? 0
      if last >= firstDoc {
        try db.execute(
          sql: """
            WITH RECURSIVE new(doc) AS (SELECT ? UNION ALL SELECT doc + 1 FROM new WHERE doc < ?)
            INSERT OR IGNORE INTO search_change (doc) SELECT doc FROM new;
            UPDATE search_state SET version = version + ?, stamp = random();
            """, arguments: [firstDoc, last, last - firstDoc + 1])
      }
      for trigger in triggers { try db.execute(sql: trigger) }
    }
    if changed > 0 {
      try db.execute(
        sql: "UPDATE search_state SET changed = changed + ?", arguments: [changed])
    }
  }
}
