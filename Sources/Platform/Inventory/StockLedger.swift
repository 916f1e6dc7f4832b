import GRDB
import MktCore
import Store

/// A sync's view of the stock rows it touches: each row of the file applied in file order to the
/// level in memory, the net result written once per stock row, in key order, at the end.
///
/// The rules are the guarded statements' of the row-at-a-time sync, applied in order, so a key
/// repeated in the file sees the level the rows before it left (gen.py's stock files repeat
/// keys). Reading a level into memory and writing it back is safe here: the whole sync runs in
/// one `BEGIN IMMEDIATE` transaction, so no other writer can move the level in between. Writing
/// in key order walks the stock B-tree once instead of seeking for every row, and the triggers
/// on `stock` (journal, `stock.low`) fire once per stock row that changed, on its final level.
struct StockLedger {
  /// One stock row's key.
  struct Key: Hashable {
    var merchant: String
    var sku: String
    var warehouse: String

    /// Whether this key comes before `other` in the stock table's order.
    ///
    /// SQLite's `BINARY` collation compares UTF-8 bytes, which orders NFC text as Swift's `<`
    /// does. Only the speed of ``StockLedger/write(_:now:)`` depends on the two agreeing.
    func precedes(_ other: Key) -> Bool {
      (merchant, sku, warehouse) < (other.merchant, other.sku, other.warehouse)
    }
  }

  /// A stock row's level: stored, then as the rows so far left it.
  struct Level: Equatable {
    var onHand: Int64
    var sourceUpdatedAt: String?
  }

  /// What one row did.
  enum Outcome {
    case changed, unchanged, skipped
    case rejected(rule: String, message: String)
  }

  /// Each key's slot in `keys`, `stored` and `levels`, in order of first appearance.
  private var slots: [Key: Int] = [:]
  private var keys: [Key] = []
  /// The stored level of each key (`nil`: no stock row).
  private var stored: [Level?] = []
  /// The level the rows so far left (`nil`: still no stock row).
  private var levels: [Level?] = []
  private let lookup: Statement

  /// The merchant whose stored levels were all read beforehand: a key of theirs not in `slots`
  /// has no stock row.
  private var preloaded: String?

  /// A ledger over `db`'s stock; `merchant`'s stored levels are read in one pass when a file of
  /// `expectedRows` rows would look up most of them one by one.
  init(_ db: Database, merchant: String? = nil, expectedRows: Int = 0) throws {
    lookup = try db.makeStatement(
      sql: """
        SELECT on_hand, source_updated_at FROM stock
        WHERE merchant_id = ? AND sku = ? AND warehouse_id = ?
        """)
    if let merchant { try preload(merchant, expectedRows: expectedRows, db) }
  }

  /// Reads every stored level of `merchant`, in key order, when they are at most twice as many
  /// as the rows expected: one pass over the merchant's part of `stock` instead of a B-tree
  /// descent per key (a million-row file over 480,000 stock rows: 0.5 s of seeks).
  private mutating func preload(_ merchant: String, expectedRows: Int, _ db: Database) throws {
    let count =
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM stock WHERE merchant_id = ?", arguments: [merchant]) ?? 0
    guard count <= 2 * expectedRows else { return }
    keys.reserveCapacity(count)
    stored.reserveCapacity(count)
    slots.reserveCapacity(count)
    try RawRows.each(
      db,
      sql: """
        SELECT sku, warehouse_id, on_hand, source_updated_at FROM stock WHERE merchant_id = ?
        """,
      arguments: [merchant]
    ) { row in
      let key = Key(merchant: merchant, sku: row.text(0) ?? "", warehouse: row.text(1) ?? "")
      slots[key] = keys.count
      keys.append(key)
      stored.append(Level(onHand: row.integer(2), sourceUpdatedAt: row.text(3)))
    }
    levels = stored
    preloaded = merchant
  }

  /// Applies `row` to its stock row's level, reading the stored level on the key's first row.
  mutating func apply(_ row: StockRow) throws -> Outcome {
    let key = Key(merchant: row.merchant, sku: row.sku, warehouse: row.warehouse)
    let slot: Int
    if let known = slots[key] {
      slot = known
    } else {
      let found =
        row.merchant == preloaded
        ? nil
        : try Row.fetchOne(lookup, arguments: [row.merchant, row.sku, row.warehouse])
          .map { Level(onHand: $0["on_hand"], sourceUpdatedAt: $0["source_updated_at"]) }
      slot = keys.count
      slots[key] = slot
      keys.append(key)
      stored.append(found)
      levels.append(found)
    }
    let (outcome, next) = Self.step(row, levels[slot])
    if let next { levels[slot] = next }
    return outcome
  }

  /// The outcome of `row` on `level` (`nil`: no stock row yet) and the level after it.
  static func step(_ row: StockRow, _ level: Level?) -> (Outcome, Level?) {
    let (quantity, at) = (row.quantity, row.updatedAt)
    guard var level else {
      if row.mode == .delta && quantity < 0 {
        return (
          .rejected(
            rule: "insufficient-stock",
            message: "removing \(-quantity) would take on-hand below 0 (on hand: 0)"),
          nil
        )
      }
      return (.changed, Level(onHand: quantity, sourceUpdatedAt: at))
    }
    // The ERP's latest word wins: a row older than the stored change is skipped.
    let stale = at.map { at in level.sourceUpdatedAt.map { $0 > at } ?? false } ?? false
    switch row.mode {
    case .set:
      guard !stale, level.onHand != quantity || at != level.sourceUpdatedAt else {
        return (stale ? .skipped : .unchanged, nil)
      }
      level.onHand = quantity
      level.sourceUpdatedAt = at ?? level.sourceUpdatedAt
      return (.changed, level)
    case .delta:
      let sum = level.onHand + quantity  // both at most a trillion: no overflow
      if stale { return (.skipped, nil) }
      if sum < 0 {
        return (
          .rejected(
            rule: "insufficient-stock",
            message:
              "removing \(-quantity) would take on-hand below 0 (on hand: \(level.onHand))"),
          nil
        )
      }
      if sum.magnitude > StockRow.maximumQuantity {
        return (
          .rejected(
            rule: "quantity-out-of-range",
            message:
              "adding \(quantity) would take on-hand above \(StockRow.maximumQuantity) "
              + "(on hand: \(level.onHand))"),
          nil
        )
      }
      let before = level
      level.onHand = sum
      level.sourceUpdatedAt = at ?? level.sourceUpdatedAt
      return (quantity == 0 ? .unchanged : .changed, level == before ? nil : level)
    }
  }

  /// Writes every stock row whose level differs from the stored one, in one statement.
  ///
  /// The levels go to a temporary table, then one `INSERT … SELECT …
  /// ON CONFLICT DO UPDATE` moves them into `stock` in the table's key order: a statement per row would give each its
  /// own statement journal (the triggers on `stock` make every statement one that can fail
  /// halfway) — 3.7 million writes to a temporary file for a million-row sync.
  ///
  /// - Parameters:
  ///   - db: The sync's transaction.
  ///   - now: The sync's time, each written row's `updated_at`.
  /// - Throws: store errors.
  func write(_ db: Database, now: String) throws {
    try db.execute(
      sql: """
        CREATE TEMP TABLE stock_level (
          merchant_id TEXT NOT NULL, sku TEXT NOT NULL, warehouse_id TEXT NOT NULL,
          on_hand INTEGER NOT NULL, source_updated_at TEXT)
        """)
    defer { try? db.execute(sql: "DROP TABLE temp.stock_level") }
    let stage = RawInsert(
      try db.makeStatement(
        sql: """
          INSERT INTO temp.stock_level (merchant_id, sku, warehouse_id, on_hand, source_updated_at)
          VALUES (?, ?, ?, ?, ?)
          """))
    // Staged in the table's key order, so that moving them needs no sort.
    var changed = keys.indices.filter { levels[$0] != nil && levels[$0] != stored[$0] }
    changed.sort { keys[$0].precedes(keys[$1]) }
    for slot in changed {
      guard let level = levels[slot] else { continue }
      let key = keys[slot]
      stage.bind(key.merchant, at: 1)
      stage.bind(key.sku, at: 2)
      stage.bind(key.warehouse, at: 3)
      stage.bind(level.onHand, at: 4)
      stage.bind(level.sourceUpdatedAt, at: 5)
      try stage.run()
    }
    try db.execute(
      sql: """
        INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand, source_updated_at, updated_at)
        SELECT merchant_id, sku, warehouse_id, on_hand, source_updated_at, ?
        FROM temp.stock_level WHERE true ORDER BY rowid
        ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
          on_hand = excluded.on_hand, source_updated_at = excluded.source_updated_at,
          updated_at = excluded.updated_at
        """, arguments: [now])
  }
}
