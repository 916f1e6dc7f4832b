import GRDB
import Inventory

/// The status history of orders.
enum OrderHistory {
  static func record(
    _ order: Int64, from: OrderStatus?, to: OrderStatus, note: String, at: String,
    _ db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO order_event (order_id, seq, from_status, to_status, note, at)
        VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM order_event WHERE order_id = ?1),
          ?2, ?3, ?4, ?5)
        """
    ).execute(arguments: [order, from?.rawValue, to.rawValue, note, at])
  }
}

extension OrderError {
  /// Runs one of Inventory's reservation steps, its ``StockShortage`` becoming
  /// ``OrderError/outOfStock(sku:requested:available:)``.
  static func short<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let shortage as StockShortage {
      throw OrderError.outOfStock(
        sku: shortage.sku, requested: shortage.requested, available: shortage.available)
    }
  }
}
