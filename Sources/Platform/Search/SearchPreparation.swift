import Foundation
import GRDB
import Store

/// Saves the per-product columns and the frequent words' postings for the catalog as it is
/// now (``SearchService/prepare(frequentWords:)``): from scratch, or — when few products
/// changed since the last save — by applying the products `search_change` lists to it.
enum SearchPreparation {
  /// Changes to at most one product in this many are applied to the saved copy; more rebuild it.
  static let patchRatio = 20

  /// The tokenizer of `product_search` (migration 0003): the index of changed products must read
  /// words as it does.
  static let tokenizer = "unicode61 remove_diacritics 2"

  /// What bringing the saved copy up to date takes.
  enum Work {
    case nothing
    /// Apply these products (ascending) to the saved columns.
    case apply([Int32], to: SearchColumns)
    case rebuild
  }

  /// Whether the saved copy is that of the catalog as it is now, in this mkt's layout.
  static func isCurrent(_ db: Database) throws -> Bool {
    let version = try SearchColumns.currentVersion(db)
    guard
      let counts = try Data.fetchOne(
        db, sql: "SELECT data FROM search_column WHERE name = 'counts' AND version = ?",
        arguments: [version]),
      counts.count == 3 * MemoryLayout<Int64>.size
    else { return false }
    let format = counts.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: Int64.self) }
    let postings = try Postings.savedVersion(db)
    return (format == SearchColumns.format || format == SearchColumns.notKept)
      && postings == version
  }

  static func work(_ db: Database) throws -> Work {
    let version = try SearchColumns.currentVersion(db)
    let saved = try Int64.fetchOne(
      db, sql: "SELECT version FROM search_column WHERE name = 'entries'")
    // Absent, damaged or in an older layout: nothing to build on.
    let base = try saved.flatMap { try SearchColumns.load(db, version: $0) }
    guard let saved, let base, try Postings.savedVersion(db) == saved else { return .rebuild }
    guard saved != version else { return .nothing }
    // Read only up to one more than the most that are applied: after an import of millions,
    // reading them all (40 MB of pages into the cache, 20 MB of array) would only say "rebuild".
    let most = max(base.rows, 1) / patchRatio
    let changed = try Int32.fetchAll(
      db, sql: "SELECT doc FROM search_change ORDER BY doc LIMIT ?", arguments: [most + 1])
    return changed.count <= most ? .apply(changed, to: base) : .rebuild
  }

  /// Brings the saved copy up to date, in `db`'s write transaction.
  static func run(_ db: Database, frequentWords: Int) throws {
    let version = try SearchColumns.currentVersion(db)
    do {
      switch try work(db) {
      case .nothing: return
      case .apply(let changed, var columns):
        try columns.apply(changed, version: version, db)
        try columns.save(db)
        try applyToPostings(changed, version: version, db)
      case .rebuild:
        try SearchColumns.buildSpooled(db).save(db)
        _ = try Postings.saveFrequent(minimum: frequentWords, version: version, db)
      }
    } catch is TooManyValues {
      // Search ranks in SQL for such a catalog: saved is only a mark saying so, which keeps
      // every search from trying to build the columns again.
      try db.execute(sql: "DELETE FROM search_column; DELETE FROM search_posting")
      try db.execute(
        sql: "INSERT INTO search_column (name, version, data) VALUES ('counts', ?, ?)",
        arguments: [version, SearchColumns.bytes([0, 0, SearchColumns.notKept])])
      try Postings.stamp(version, db)
    }
    try db.execute(sql: "DELETE FROM search_change")
  }

  /// A rebuild read beforehand (``SearchService/prepare(frequentWords:)`` reads it on reader
  /// connections side by side, without the write lock).
  struct Rebuilt: Sendable {
    var columns: SearchColumns.Spooled
    var postings: [PostingsSpool]
  }

  /// Saves `rebuilt` when it was read from the catalog as it is now; otherwise does the work
  /// in this transaction.
  static func save(_ rebuilt: Rebuilt?, _ db: Database, frequentWords: Int) throws {
    let version = try SearchColumns.currentVersion(db)
    guard let rebuilt, rebuilt.columns.version == version else {
      return try run(db, frequentWords: frequentWords)
    }
    // 110 MB of columns and postings written in order: a small cache does as well.
    try SearchService.withSmallCache(db) {
      try rebuilt.columns.save(db)
      try Postings.save(rebuilt.postings, version: version, db)
    }
    try db.execute(sql: "DELETE FROM search_change")
  }

  /// Brings the saved postings up to date with the `changed` products (ascending): their
  /// words are read from an index of just them, built with the same tokenizer.
  static func applyToPostings(_ changed: [Int32], version: Int64, _ db: Database) throws {
    try db.execute(
      sql: """
        DROP TABLE IF EXISTS temp.search_delta_instance;
        DROP TABLE IF EXISTS temp.search_delta;
        CREATE VIRTUAL TABLE temp.search_delta
          USING fts5 (title, brand, category, description, tags, tokenize = '\(tokenizer)');
        INSERT INTO temp.search_delta (rowid, title, brand, category, description, tags)
          SELECT doc, title, brand, category, description, tags FROM product_search_source
          WHERE doc IN (SELECT doc FROM search_change);
        CREATE VIRTUAL TABLE temp.search_delta_instance
          USING fts5vocab(temp, search_delta, instance);
        """)
    let words = try String.fetchAll(db, sql: "SELECT term FROM search_posting")
    let savedVersion = try Postings.savedVersion(db)
    for word in words {
      guard let old = try Postings.saved(word, version: savedVersion, db) else { continue }
      let added = try Postings.read(word, db, from: "temp.search_delta_instance")
      let new = old.replacing(changed, with: added)
      if new != old {
        try db.execute(
          sql: "UPDATE search_posting SET data = ? WHERE term = ?",
          arguments: [new.encoded(), word])
      }
    }
    try Postings.stamp(version, db)
    try db.execute(
      sql: """
        DROP TABLE temp.search_delta_instance;
        DROP TABLE temp.search_delta;
        """)
  }
}

extension SearchColumns {
  /// Re-reads the entries of the `changed` products (ascending) and adjusts the index's row
  /// and token counts, as of catalog `version`.
  mutating func apply(_ changed: [Int32], version: Int64, _ db: Database) throws {
    let before = changed.map { Int($0) < entries.count ? entries[Int($0)] : .absent }
    for doc in changed where Int(doc) < entries.count {
      entries[Int(doc)] = .absent
      shipping[Int(doc)] = Self.none
    }
    let listed = "doc IN (SELECT doc FROM search_change)"
    try readProducts(db, where: listed)
    try RawRows.each(
      db,
      sql: "SELECT id, sz FROM product_search_docsize WHERE id IN (SELECT doc FROM search_change)"
    ) { row in
      let doc = Int(row.integer(0))
      if doc >= 0 && doc < entries.count {
        entries[doc].length = UInt16(clamping: Varint.sum(row.blob(1)))
      }
    }
    for (index, doc) in changed.enumerated() {
      let after = Int(doc) < entries.count ? entries[Int(doc)] : .absent
      if before[index].exists {
        rows -= 1
        tokens -= Int(before[index].length)
      }
      if after.exists {
        rows += 1
        tokens += Int(after.length)
      }
    }
    self.version = version
  }
}
