package import GRDB
import MktCore

/// The reservation ledger.
///
/// Signed quantities per merchant, sku and warehouse; available stock is
/// `on_hand + SUM(quantity)`. Every change is one guarded statement inside the caller's write
/// transaction: nothing is read into memory and written back (RELIABILITY.md §5). Inventory owns
/// the ledger and the stock it takes from; Orders calls these inside its transactions.
package enum Reservations {
  /// Part of a line reserved in one warehouse.
  package struct Part: Sendable, Equatable {
    package var warehouse: String
    package var quantity: Int
  }

  /// Available stock of a sku in a warehouse, as SQL over ?1 merchant, ?2 sku, ?3 warehouse.
  static let available = """
    (SELECT on_hand FROM stock WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3)
      + (SELECT coalesce(sum(quantity), 0) FROM reservation
         WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3)
    """

  /// Reserves in the nearest warehouse serving ?3 with ?4 units of ?2 available, for order ?5.
  static let nearest = """
    INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason)
    SELECT ?1, ?2, w.id, -?4, ?5, 'order_placed' FROM warehouse w
    WHERE w.merchant_id = ?1 AND (' ' || w.serves || ' ') LIKE '% ' || ?3 || ' %'
      AND (SELECT on_hand FROM stock WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = w.id)
        + (SELECT coalesce(sum(quantity), 0) FROM reservation
           WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = w.id) >= ?4
    ORDER BY (w.country = ?3) DESC, w.id LIMIT 1
    RETURNING warehouse_id
    """

  /// Reserves `quantity` of `sku` in the nearest warehouse serving `country` that has all of it
  /// (its own country first, then by id); with `split`, across several when none has.
  ///
  /// - Throws: ``StockShortage``.
  package static func reserve(
    merchant: String, sku: String, quantity: Int, country: String, split: Bool, order: Int64,
    _ db: Database
  ) throws -> [Part] {
    // The nearest warehouse serving the country with all of it, chosen and reserved in one
    // guarded statement.
    if let warehouse = try String.fetchOne(
      db.cachedStatement(sql: nearest), arguments: [merchant, sku, country, quantity, order])
    {
      return [Part(warehouse: warehouse, quantity: quantity)]
    }
    let warehouses = try String.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT id FROM warehouse WHERE merchant_id = ? AND (' ' || serves || ' ') LIKE ?
          ORDER BY (country = ?) DESC, id
          """), arguments: [merchant, "% \(country) %", country])
    // No single warehouse has it all.
    let total = try warehouses.reduce(0) { sum, warehouse in
      sum
        + max(
          0,
          try Int.fetchOne(db, sql: "SELECT \(available)", arguments: [merchant, sku, warehouse])
            ?? 0)
    }
    guard split, total >= quantity else {
      throw StockShortage(sku: sku, requested: quantity, available: total)
    }
    let partial = try db.cachedStatement(
      sql: """
        INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason)
        SELECT ?1, ?2, ?3, -min(?4, \(available)), ?5, 'order_placed'
        WHERE \(available) > 0
        RETURNING -quantity
        """)
    var parts: [Part] = []
    var left = quantity
    for warehouse in warehouses where left > 0 {
      if let taken = try Int.fetchOne(
        partial, arguments: [merchant, sku, warehouse, left, order])
      {
        parts.append(Part(warehouse: warehouse, quantity: taken))
        left -= taken
      }
    }
    guard left == 0 else {
      throw StockShortage(sku: sku, requested: quantity, available: quantity - left)
    }
    return parts
  }

  /// Compensates what an order still holds on its lines (cancel, reject, expire): the open
  /// reservations of each sku and warehouse of the order go back to zero.
  package static func release(order: Int64, reason: String, _ db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason)
        SELECT merchant_id, sku, warehouse_id, -sum(quantity), order_id, ?
        FROM reservation WHERE order_id = ?
        GROUP BY merchant_id, sku, warehouse_id HAVING sum(quantity) != 0
        """, arguments: [reason, order])
  }

  /// Ships `quantity` of a line: the reservation for it is compensated and the stock leaves the
  /// warehouse (guarded: never below zero; the caller's transaction rolls back otherwise).
  ///
  /// Compensation first: the available quantity never dips in between, so the `stock.low`
  /// triggers see only the final level (shipping what was reserved changes nothing available).
  package static func fulfil(
    merchant: String, sku: String, warehouse: String, quantity: Int, order: Int64,
    _ db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason)
        VALUES (?, ?, ?, ?, ?, 'fulfilled')
        """, arguments: [merchant, sku, warehouse, quantity, order])
    try db.execute(
      sql: """
        UPDATE stock SET on_hand = on_hand - ?4,
          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3 AND on_hand >= ?4
        """, arguments: [merchant, sku, warehouse, quantity])
    guard db.changesCount == 1 else {
      throw StockShortage(sku: sku, requested: quantity, available: 0)
    }
  }

  /// Returns stock to a warehouse (a refund with restock).
  package static func restock(
    merchant: String, sku: String, warehouse: String, quantity: Int, _ db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE stock SET on_hand = on_hand + ?4,
          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3
        """, arguments: [merchant, sku, warehouse, quantity])
  }

  /// Deletes the ledger rows of orders whose reservations sum to zero (closed).
  ///
  /// They no longer change any available quantity. Returns the rows deleted.
  package static func compact(_ db: Database) throws -> Int {
    try db.execute(
      sql: """
        DELETE FROM reservation WHERE order_id IN (
          SELECT order_id FROM reservation GROUP BY order_id HAVING sum(quantity) = 0)
        """)
    return db.changesCount
  }
}

/// A sku has less available than asked for: what was asked and what there is.
package struct StockShortage: Error, Sendable, Equatable {
  package var sku: String
  package var requested: Int
  package var available: Int
}
