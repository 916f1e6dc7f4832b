import Foundation
import GRDB
import Importers
import MktCore
public import Store

/// Warehouses, stock levels and stock syncs from merchants' ERPs.
public struct InventoryService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// Adds a warehouse.
  ///
  /// - Throws: ``InventoryError`` for an unknown merchant, a taken id, a bad country (65).
  public func addWarehouse(
    merchant: String, id: String, name: String?, country: String, serves: [String]
  ) async throws -> Warehouse {
    func code(_ text: String, field: String) throws -> CountryCode {
      guard let code = CountryCode(text) else {
        throw InventoryError.invalidField(
          RowIssue(
            location: InputLocation(field: field, id: id), rule: "invalid-country",
            message: "\(text) is not one of the marketplace's 25 countries",
            rawValue: text))
      }
      return code
    }
    guard !id.isEmpty, id.count <= 64, !id.contains(where: \.isWhitespace) else {
      throw InventoryError.invalidField(
        RowIssue(
          location: InputLocation(field: "id"), rule: "invalid-id",
          message: "a warehouse id is 1 to 64 characters without spaces", rawValue: id))
    }
    let located = try code(country, field: "country")
    let served = try (serves.isEmpty ? [country] : serves).map { try code($0, field: "serves") }
    let warehouse = Warehouse(
      merchantID: merchant, id: id, name: name ?? id, country: located,
      serves: Array(Set(served)).sorted())
    return try await store.write { db in
      guard
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM merchant WHERE id = ?)", arguments: [merchant])
          == true
      else { throw InventoryError.unknownMerchant(merchant) }
      guard
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM warehouse WHERE merchant_id = ? AND id = ?)",
          arguments: [merchant, id]) == false
      else { throw InventoryError.warehouseExists(merchant: merchant, id: id) }
      try db.execute(
        sql:
          "INSERT INTO warehouse (merchant_id, id, name, country, serves) VALUES (?, ?, ?, ?, ?)",
        arguments: [
          merchant, id, warehouse.name, located.rawValue,
          warehouse.serves.map(\.rawValue).joined(separator: " "),
        ])
      return warehouse
    }
  }

  /// Warehouses, by merchant and id.
  public func warehouses(merchant: String? = nil) async throws -> [Warehouse] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT merchant_id, id, name, country, serves FROM warehouse
          WHERE ?1 IS NULL OR merchant_id = ?1 ORDER BY merchant_id, id
          """, arguments: [merchant]
      ).compactMap { row in
        // The table holds only codes validated on the way in.
        CountryCode(row["country"] as String).map { country in
          Warehouse(
            merchantID: row["merchant_id"], id: row["id"], name: row["name"], country: country,
            serves: (row["serves"] as String).split(separator: " ").compactMap(CountryCode.init))
        }
      }
    }
  }

  /// Stock levels: of one sku (all warehouses), those below `below`, or all, by merchant, sku
  /// and warehouse.
  public func stock(
    sku: String? = nil, merchant: String? = nil, below: Int? = nil, limit: Int? = nil
  ) async throws -> [StockLevel] {
    try await store.read { db in
      var sql = Self.stockQuery
      if let limit { sql += " LIMIT \(max(0, limit))" }
      return try Row.fetchAll(db, sql: sql, arguments: [sku, merchant, below]).map(Self.level)
    }
  }

  /// Calls `body` with every stock level, from one snapshot, without holding them in memory.
  public func forEachStock(
    merchant: String?, _ body: @escaping @Sendable (StockLevel) throws -> Void
  )
    async throws
  {
    try await store.read { db in
      let cursor = try Row.fetchCursor(
        db, sql: Self.stockQuery, arguments: [nil, merchant, nil])
      while let row = try cursor.next() { try body(Self.level(row)) }
    }
  }

  /// Stock levels, optionally of one sku (?1), one merchant (?2), available below ?3.
  ///
  /// Available is on hand plus the reservation ledger (orders' holds).
  static let stockQuery = """
    SELECT merchant_id, sku, warehouse_id, on_hand, source_updated_at, updated_at, available
    FROM (
      SELECT s.*, s.on_hand + coalesce(
        (SELECT sum(r.quantity) FROM reservation r WHERE r.merchant_id = s.merchant_id
           AND r.sku = s.sku AND r.warehouse_id = s.warehouse_id), 0) AS available
      FROM stock s
      WHERE (?1 IS NULL OR s.sku = ?1) AND (?2 IS NULL OR s.merchant_id = ?2))
    WHERE ?3 IS NULL OR available < ?3
    ORDER BY merchant_id, sku, warehouse_id
    """

  static func level(_ row: Row) -> StockLevel {
    StockLevel(
      merchantID: row["merchant_id"], sku: row["sku"], warehouseID: row["warehouse_id"],
      onHand: row["on_hand"], available: row["available"],
      sourceUpdatedAt: row["source_updated_at"], updatedAt: row["updated_at"])
  }
}
