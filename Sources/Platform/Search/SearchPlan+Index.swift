import GRDB

/// What a plan asks the FTS5 index before it runs: whether it works, whether words match, and
/// the synonyms a word adds.
extension SearchPlan {
  /// Whether the index answers at all: it exists and its structure reads. (A missing table
  /// fails the statement too; asking GRDB's `tableExists` would read the whole schema first.)
  static func indexWorks(_ db: Database) throws -> Bool {
    do {
      _ = try Int.fetchOne(
        db, sql: "SELECT rowid FROM product_search WHERE product_search MATCH 'x' LIMIT 1")
      return true
    } catch {
      return false
    }
  }

  /// Whether the FTS5 query `match` finds any product.
  static func matches(_ match: String, _ db: Database) throws -> Bool {
    try Int.fetchOne(
      db, sql: "SELECT rowid FROM product_search WHERE product_search MATCH ? LIMIT 1",
      arguments: [match]) != nil
  }

  /// Whether any product has `word`, asked of the index itself (the vocabulary may lag).
  static func exists(_ word: String, _ db: Database) throws -> Bool {
    try matches(QueryText.quoted([word]), db)
  }

  /// The most synonyms one search expands its words with, over all its words.
  static let maximumSynonymsPerQuery = 64

  static func synonyms(of phrase: String, language: String?, limit: Int, _ db: Database) throws
    -> [String]
  {
    guard limit > 0 else { return [] }
    return try String.fetchAll(
      db,
      sql: """
        SELECT DISTINCT other.term FROM search_synonym own
        JOIN search_synonym other ON other.language = own.language
          AND other.group_id = own.group_id AND other.term != own.term
        WHERE own.term = ?1 AND (?2 IS NULL OR own.language = ?2)
        ORDER BY other.term LIMIT ?3
        """, arguments: [phrase, language, limit])
  }
}
