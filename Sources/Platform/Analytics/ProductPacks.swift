import Foundation
import GRDB
import MktCore
import Store

/// A day's product rollups packed in one blob (`analytics_product_pack`), sorted by product: a
/// month's report reads 30 blobs and merges them instead of stepping through millions of rows.
///
/// The table `analytics_product_day` stays the record (upserted at each flush, read by the
/// merchant and currency reports); a day's pack is written again from it at the end of every
/// ingest or rebuild that touched the day, in the same transaction. A day without a pack (a store
/// from before packs) is read from the table.
///
/// Layout, little-endian: the number of currencies (UInt32), their ids (Int64 each), then one
/// 32-byte record per (product, currency): product (Int64), revenue in minor units (Int64),
/// views, carts, purchases and the currency's index (UInt32 each).
struct ProductPack {
  struct Record {
    var product: Int64
    var revenue: Int64
    var views: UInt32
    var carts: UInt32
    var purchases: UInt32
    var currency: UInt32
  }

  var currencies: [Int64] = []
  var records: [Record] = []

  static let recordBytes = 32

  /// Writes the packs of `days` again from the table (or removes them when a day has no rows).
  static func write(days: some Sequence<Int64>, _ db: Database) throws {
    let put = try db.cachedStatement(
      sql: "INSERT OR REPLACE INTO analytics_product_pack (day, pack) VALUES (?, ?)")
    let remove = try db.cachedStatement(sql: "DELETE FROM analytics_product_pack WHERE day = ?")
    for day in days {
      let pack = try fromTable(day: day, db)
      if !pack.records.isEmpty {
        try put.execute(arguments: [day, pack.encoded()])
      } else {
        try remove.execute(arguments: [day])
      }
    }
  }

  /// The day's rows of `analytics_product_day`, in key order (day, product, currency); counts
  /// above `UInt32.max` (never met, but possible) take several records.
  static func fromTable(day: Int64, _ db: Database) throws -> ProductPack {
    var pack = ProductPack()
    var index: [Int64: UInt32] = [:]
    try RawRows.each(
      db,
      sql: """
        SELECT product, currency, views, carts, purchases, revenue_minor
        FROM analytics_product_day WHERE day = ?
        """, arguments: [day]
    ) { row in
      let currency = row.integer(1)
      let slot: UInt32
      if let known = index[currency] {
        slot = known
      } else {
        slot = UInt32(pack.currencies.count)
        index[currency] = slot
        pack.currencies.append(currency)
      }
      var counts = (row.integer(2), row.integer(3), row.integer(4))
      var revenue = row.integer(5)
      repeat {
        let limit = Int64(UInt32.max)
        let part = (min(counts.0, limit), min(counts.1, limit), min(counts.2, limit))
        pack.records.append(
          Record(
            product: row.integer(0), revenue: revenue, views: UInt32(part.0),
            carts: UInt32(part.1), purchases: UInt32(part.2), currency: slot))
        counts = (counts.0 - part.0, counts.1 - part.1, counts.2 - part.2)
        revenue = 0
      } while counts.0 > 0 || counts.1 > 0 || counts.2 > 0
    }
    return pack
  }

  func encoded() -> Data {
    var data = Data(capacity: 4 + currencies.count * 8 + records.count * Self.recordBytes)
    func put<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
    put(UInt32(currencies.count))
    for currency in currencies { put(currency) }
    for record in records {
      put(record.product)
      put(record.revenue)
      put(record.views)
      put(record.carts)
      put(record.purchases)
      put(record.currency)
    }
    return data
  }

  /// Appends the records of a pack's bytes to `records`.
  ///
  /// - Returns: `false` (nothing appended) when the bytes are not a pack. The currency indexes
  ///   are kept: the merge sums amounts as given.
  static func decode(_ bytes: UnsafeRawBufferPointer, into records: inout [Record]) -> Bool {
    func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
      T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
    guard bytes.count >= 4 else { return false }
    let count = Int(load(0, UInt32.self))
    let start = 4 + count * 8
    guard bytes.count >= start, (bytes.count - start) % Self.recordBytes == 0 else {
      return false
    }
    let first = records.count
    for offset in stride(from: start, to: bytes.count, by: Self.recordBytes) {
      let record = Record(
        product: load(offset, Int64.self), revenue: load(offset + 8, Int64.self),
        views: load(offset + 16, UInt32.self), carts: load(offset + 20, UInt32.self),
        purchases: load(offset + 24, UInt32.self), currency: load(offset + 28, UInt32.self))
      guard Int(record.currency) < count else {
        records.removeSubrange(first...)
        return false
      }
      records.append(record)
    }
    return true
  }

  /// The records of the days in `days` that have events, one range of `records` per day, in
  /// day order; a day without a pack is read from the table.
  static func load(_ days: ClosedRange<Int64>, _ db: Database) throws
    -> (records: [Record], ranges: [Range<Int>])
  {
    // Packs span many overflow pages: read through the memory map, into an array sized once.
    try Store.mapForReading(db)
    let bytes =
      try Int.fetchOne(
        db, sql: "SELECT sum(length(pack)) FROM analytics_product_pack WHERE day BETWEEN ? AND ?",
        arguments: [days.lowerBound, days.upperBound]) ?? 0
    var records: [Record] = []
    records.reserveCapacity(bytes / recordBytes)
    var ranges: [Int64: Range<Int>] = [:]
    try RawRows.each(
      db, sql: "SELECT day, pack FROM analytics_product_pack WHERE day BETWEEN ? AND ?",
      arguments: [days.lowerBound, days.upperBound]
    ) { row in
      let first = records.count
      if decode(row.blob(1), into: &records) { ranges[row.integer(0)] = first..<records.count }
    }
    let eventDays = try Int64.fetchAll(
      db, sql: "SELECT DISTINCT day FROM analytics_day WHERE day BETWEEN ? AND ?",
      arguments: [days.lowerBound, days.upperBound])
    for day in eventDays where ranges[day] == nil {
      let first = records.count
      records.append(contentsOf: try fromTable(day: day, db).records)
      ranges[day] = first..<records.count
    }
    return (records, ranges.keys.sorted().compactMap { ranges[$0] })
  }
}

extension ProductPack {
  /// Calls `body` with each product's sums over the days' records, in product order: a k-way
  /// merge of the sorted days (a binary heap of their cursors), so no map of every product is
  /// built.
  static func merge(
    _ all: (records: [Record], ranges: [Range<Int>]),
    _ body: (AnalyticsService.ProductTotals) -> Void
  ) {
    var heap = all.ranges.filter { !$0.isEmpty }.map {
      Cursor(
        product: all.records[$0.lowerBound].product, position: $0.lowerBound, end: $0.upperBound)
    }
    all.records.withUnsafeBufferPointer { records in
      heap.withUnsafeMutableBufferPointer { cursors in
        var count = cursors.count
        for index in stride(from: count / 2 - 1, through: 0, by: -1) {
          siftDown(cursors, count, index)
        }
        while count > 0 {
          let current = cursors[0].product
          var totals = AnalyticsService.ProductTotals(
            product: current, views: 0, carts: 0, purchases: 0, revenue: 0)
          while count > 0, cursors[0].product == current {
            let record = records[cursors[0].position]
            totals.views += Int64(record.views)
            totals.carts += Int64(record.carts)
            totals.purchases += Int64(record.purchases)
            totals.revenue += record.revenue
            cursors[0].position += 1
            if cursors[0].position < cursors[0].end {
              cursors[0].product = records[cursors[0].position].product
            } else {
              count -= 1
              cursors[0] = cursors[count]
            }
            siftDown(cursors, count, 0)
          }
          body(totals)
        }
      }
    }
  }

  /// A pack's place in the merge: its current product and record, and where it ends.
  struct Cursor {
    var product: Int64
    var position: Int
    var end: Int
  }

  @inline(__always)
  private static func siftDown(
    _ heap: UnsafeMutableBufferPointer<Cursor>, _ count: Int, _ start: Int
  ) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      guard left < count else { return }
      var child = left
      if left + 1 < count, heap[left + 1].product < heap[left].product { child = left + 1 }
      guard heap[child].product < heap[parent].product else { return }
      heap.swapAt(parent, child)
      parent = child
    }
  }
}
