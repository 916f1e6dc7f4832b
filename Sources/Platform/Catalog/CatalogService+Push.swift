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
