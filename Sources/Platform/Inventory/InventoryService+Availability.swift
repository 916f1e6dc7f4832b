package import GRDB
import Store

/// Whether a product has stock rows, and how many units are available where they count.
package struct Availability: Sendable, Equatable {
  /// The product has stock rows in some warehouse: its merchant tracks its stock here.
  package var tracked: Bool
  /// On hand plus the reservation ledger, summed over the warehouses counted.
  package var available: Int64
}

extension InventoryService {
  /// The availability of `skus` (any merchant), in the warehouses serving `country` (every
  /// warehouse when `nil`): Inventory owns stock and reservations, other modules ask here.
  ///
  /// A sku without stock rows is absent: its stock is not tracked.
  package static func availability(skus: [String], country: String?, _ db: Database) throws
    -> [String: Availability]
  {
    var result: [String: Availability] = [:]
    try SQLInList.chunks(skus) { placeholders, arguments in
      let rows = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT s.sku,
              sum(CASE WHEN ?1 IS NULL OR (' ' || w.serves || ' ') LIKE '% ' || ?1 || ' %'
                THEN s.on_hand + coalesce(
                  (SELECT sum(r.quantity) FROM reservation r WHERE r.merchant_id = s.merchant_id
                     AND r.sku = s.sku AND r.warehouse_id = s.warehouse_id), 0)
                ELSE 0 END)
            FROM stock s JOIN warehouse w ON w.merchant_id = s.merchant_id AND w.id = s.warehouse_id
            WHERE s.sku IN (\(placeholders))
            GROUP BY s.sku
            """), arguments: StatementArguments([country]) + arguments)
      for row in rows {
        result[row[0]] = Availability(tracked: true, available: row[1] ?? 0)
      }
    }
    return result
  }
}
