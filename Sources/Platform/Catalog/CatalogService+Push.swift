import GRDB
import Store

extension CatalogService {
  /// A product as `mkt push` sends it: its canonical line and the hash of that line.
  package struct StoredLine: Sendable, Equatable {
    package var line: String
    package var hash: Int64
  }

  /// The canonical lines of `merchant`'s products among `ids`; ids without a product are absent.
  package func lines(merchant: String, ids: [String]) async throws -> [String: StoredLine] {
    try await store.read { db in
      var found: [String: StoredLine] = [:]
      try SQLInList.chunks(ids) { placeholders, arguments in
        let rows = try Row.fetchCursor(
          db,
          sql: """
            SELECT id, attributes, content_hash FROM product
            WHERE merchant_id = ? AND id IN (\(placeholders))
            """, arguments: [merchant] + arguments)
        while let row = try rows.next() {
          found[row["id"]] = StoredLine(line: row["attributes"], hash: row["content_hash"])
        }
      }
      return found
    }
  }

  /// The content hashes of `merchant`'s products among `ids` (a push's conflict check).
  package func contentHashes(merchant: String, ids: [String]) async throws -> [String: Int64] {
    try await lines(merchant: merchant, ids: ids).mapValues(\.hash)
  }
}

extension CatalogService {
  /// A product's title and description in one language, as `mkt push` sends them.
  package struct StoredTranslation: Sendable, Equatable {
    package var id: String
    package var language: String
    package var title: String
    package var description: String
  }

  /// The translations of `merchant`'s (product id, language) pairs among `keys`; pairs without
  /// one (removed, or now the product's own language) are absent.
  package func translations(merchant: String, keys: [(id: String, language: String)])
    async throws -> [StoredTranslation]
  {
    let wanted = Set(keys.map { $0.id + "\u{1F}" + $0.language })
    return try await store.read { db in
      var found: [StoredTranslation] = []
      try SQLInList.chunks(Array(Set(keys.map(\.id)))) { placeholders, arguments in
        let rows = try Row.fetchCursor(
          db,
          sql: """
            SELECT p.id, t.language, t.title, t.description
            FROM product p JOIN product_translation t ON t.doc = p.doc
            WHERE p.merchant_id = ? AND p.id IN (\(placeholders))
            ORDER BY p.id, t.language
            """, arguments: [merchant] + arguments)
        while let row = try rows.next() {
          let translation = StoredTranslation(
            id: row["id"], language: row["language"], title: row["title"],
            description: row["description"])
          if wanted.contains(translation.id + "\u{1F}" + translation.language) {
            found.append(translation)
          }
        }
      }
      return found
    }
  }
}
