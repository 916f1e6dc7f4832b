import GRDB
import Store

extension RankedSearch {
  /// The product's stock for `--in-stock`: synced stock decides when the product has any row
  /// in `stock` (some warehouse has more on hand than reserved), else the feed's availability.
  ///
  /// Stock moves with every order, so it is read at query time, the cheaper of two ways: all
  /// stock rows joined to their products when there are fewer of them than hits, else a
  /// lookup per hit.
  static let stockOfProduct = """
    SELECT count(*), coalesce(max(s.on_hand + coalesce(
        (SELECT sum(r.quantity) FROM reservation r WHERE r.merchant_id = s.merchant_id
           AND r.sku = s.sku AND r.warehouse_id = s.warehouse_id), 0) > 0), 0)
    FROM product p JOIN stock s ON s.merchant_id = p.merchant_id AND s.sku = p.id
    WHERE p.doc = ?
    """

  /// `CROSS JOIN` keeps stock the outer table: without it the planner may walk every product
  /// to find the few with stock.
  static let stockOfAll = """
    SELECT p.doc, max(s.on_hand + coalesce(
        (SELECT sum(r.quantity) FROM reservation r WHERE r.merchant_id = s.merchant_id
           AND r.sku = s.sku AND r.warehouse_id = s.warehouse_id), 0) > 0)
    FROM stock s CROSS JOIN product p ON p.merchant_id = s.merchant_id AND p.id = s.sku
    GROUP BY p.doc
    """

  /// The hits that are in stock, in `db`'s transaction.
  func inStock(_ hits: Hits, _ db: Database) throws -> Hits {
    let feedInStock = columns.availabilities.firstIndex(of: "in_stock").map(Int16.init) ?? -2
    var kept = Hits()
    func keep(_ index: Int) {
      kept.append(hits.docs[index], hits.scores[index], hits.entries[index])
    }
    let stockRows =
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM (SELECT 1 FROM stock LIMIT ?)",
        arguments: [hits.docs.count + 1]) ?? 0
    if stockRows <= hits.docs.count {
      // Few stock rows: every stocked product's state at once.
      var stocked: [Int32: Bool] = [:]
      try RawRows.each(db, sql: Self.stockOfAll) { row in
        stocked[Int32(truncatingIfNeeded: row.integer(0))] = row.integer(1) != 0
      }
      for index in hits.docs.indices {
        let available =
          stocked[hits.docs[index]] ?? (hits.entries[index].availability == feedInStock)
        if available { keep(index) }
      }
    } else {
      let statement = try db.cachedStatement(sql: Self.stockOfProduct)
      for index in hits.docs.indices {
        var (rows, available) = (Int64(0), false)
        try RawRows.each(statement, arguments: [hits.docs[index]]) { row in
          (rows, available) = (row.integer(0), row.integer(1) != 0)
        }
        if rows > 0 ? available : hits.entries[index].availability == feedInStock {
          keep(index)
        }
      }
    }
    return kept
  }
}
