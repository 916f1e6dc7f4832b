package import GRDB
import Store

/// Whether a product has stock rows, and how many units are available where they count.
package struct Availability: Sendable, Equatable {
  /// The product has stock rows in some warehouse: its merchant tracks its stock here.
  package var tracked: Bool
  /// On hand plus the reservation ledger, summed over the warehouses counted.
  package var available: Int64
  /// Available below this is low stock: the threshold of the merchant stocking it
  /// (``InventoryService/lowStock(merchant:)``; the highest where several do).
  package var lowStockBelow: Int64 = InventoryService.defaultLowStock
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
                ELSE 0 END) AS available,
              max(coalesce(
                (SELECT low_stock FROM inventory_setting i WHERE i.merchant_id = s.merchant_id), ?2))
                AS low_stock
            FROM stock s JOIN warehouse w ON w.merchant_id = s.merchant_id AND w.id = s.warehouse_id
            WHERE s.sku IN (\(placeholders))
            GROUP BY s.sku
            """), arguments: [country, Self.defaultLowStock] + arguments)
      for row in rows {
        result[row["sku"]] = Availability(
          tracked: true, available: row["available"] ?? 0,
          lowStockBelow: row["low_stock"] ?? Self.defaultLowStock)
      }
    }
    return result
  }
}

extension InventoryService {
  /// The low-stock threshold of a merchant that sets none.
  public static let defaultLowStock: Int64 = Store.lowStockDefault

  /// A merchant's low-stock threshold, set first to `below` when given (0: never low).
  ///
  /// A product available below it shows the `low-stock` badge.
  ///
  /// - Throws: ``InventoryError/unknownMerchant(_:)`` for a merchant never added.
  @discardableResult
  public func lowStock(merchant: String, below: Int64? = nil) async throws -> Int64 {
    let work: @Sendable (Database) throws -> Int64 = { db in
      guard
        try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant])
          != nil
      else { throw InventoryError.unknownMerchant(merchant) }
      if let below {
        try db.execute(
          sql: """
            INSERT INTO inventory_setting (merchant_id, low_stock) VALUES (?, ?)
            ON CONFLICT (merchant_id) DO UPDATE SET low_stock = excluded.low_stock
            """, arguments: [merchant, below])
        return below
      }
      return try Int64.fetchOne(
        db, sql: "SELECT low_stock FROM inventory_setting WHERE merchant_id = ?",
        arguments: [merchant]) ?? Self.defaultLowStock
    }
    return below == nil ? try await store.read(work) : try await store.write(.normal, work)
  }
}
