import GRDB
import Store

extension InventoryService {
  /// A stock level as `mkt push` sends it.
  package struct PushedLevel: Sendable, Equatable {
    package var sku: String
    package var warehouse: String
    package var onHand: Int64
  }

  /// The on-hand quantities of `merchant`'s (sku, warehouse) pairs among `keys`; pairs without
  /// a stock row are absent.
  package func levels(merchant: String, keys: [(sku: String, warehouse: String)]) async throws
    -> [PushedLevel]
  {
    let skus = Array(Set(keys.map(\.sku)))
    let wanted = Set(keys.map { $0.sku + "\u{1F}" + $0.warehouse })
    return try await store.read { db in
      var levels: [PushedLevel] = []
      try SQLInList.chunks(skus) { placeholders, arguments in
        let rows = try Row.fetchCursor(
          db,
          sql: """
            SELECT sku, warehouse_id, on_hand FROM stock
            WHERE merchant_id = ? AND sku IN (\(placeholders))
            """, arguments: [merchant] + arguments)
        while let row = try rows.next() {
          let level = PushedLevel(
            sku: row["sku"], warehouse: row["warehouse_id"], onHand: row["on_hand"])
          if wanted.contains(level.sku + "\u{1F}" + level.warehouse) { levels.append(level) }
        }
      }
      return levels.sorted { ($0.sku, $0.warehouse) < ($1.sku, $1.warehouse) }
    }
  }
}
