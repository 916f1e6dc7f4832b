import Foundation
import GRDB
public import MktCore
import Store

extension InventoryService {
  /// Applies a stock file from a merchant's ERP, all of it or nothing, once.
  ///
  /// Each row sets the on-hand quantity (`set`) or adds to it (`delta`, never below zero) for
  /// one sku in one warehouse, with a guarded UPDATE inside one `synchronous=FULL` transaction:
  /// no quantity is read into memory and written back, so concurrent changes are never lost. A
  /// row whose `updated_at` is older than the stored one is skipped (the ERP's latest word
  /// wins). The sync is recorded under its id — `syncID`, else the file's checksum — and the
  /// same id again changes nothing. A lock beside the database keeps a second sync from
  /// starting while one runs.
  ///
  /// - Parameters:
  ///   - path: The file (`-` for standard input): CSV or JSON lines.
  ///   - merchant: The merchant owning every row; else each row's `merchant_id`.
  ///   - mode: The mode of rows that name none.
  ///   - syncID: The sync's id; `nil` uses the file's checksum.
  ///   - options: Dry run, error budget (the mode is per row).
  ///   - bytes: The file's content when it was fetched (a URL); `path` then only names it.
  ///   - locations: A platform export's locations to warehouse ids (Shopify's `Location`).
  ///   - mapping: Header renames, column name (as written or normalized) → mkt's column name.
  /// - Returns: the counts and the rejected rows.
  /// - Throws: ``LockError/held(path:pid:)`` (75) when a sync runs; ``ImportError`` (65) past
  ///   the error budget; source, header and store errors.
  public func sync(
    path: String, merchant: String?, mode: StockMode = .set, syncID: String? = nil,
    options: ImportOptions = ImportOptions(), bytes: [UInt8]? = nil,
    locations: [String: String] = [:], mapping: [String: String] = [:]
  ) async throws -> StockSyncSummary {
    let started = ContinuousClock.now
    let lock = try store.path == ":memory:" ? nil : FileLock(path: store.path + ".sync.lock")
    defer { lock?.release() }
    var reading = try StockFile(path: path, merchant: merchant, mode: mode, bytes: bytes)
    reading.locations = locations
    reading.mapping = mapping
    let file = reading
    var summary = StockSyncSummary(
      source: path, syncID: syncID ?? file.checksum, dryRun: options.dryRun)
    let id = summary.syncID
    if let applied = try await store.read({ db in
      try String.fetchOne(
        db, sql: "SELECT applied_at FROM stock_sync WHERE sync_id = ?", arguments: [id])
    }) {
      summary.alreadyAppliedAt = applied
      return summary
    }
    let prepared = summary
    do {
      summary = try await store.write(.full) { db in
        var summary = prepared
        try Self.apply(file, to: &summary, db)
        summary.rejected = summary.issues.count
        guard summary.rejected <= options.maxErrors else {
          throw ImportError.tooManyErrors(
            source: path, rejected: summary.rejected, maxErrors: options.maxErrors,
            issues: summary.issues)
        }
        if options.dryRun { throw DryRun(summary: summary) }
        try db.execute(
          sql: """
            INSERT INTO stock_sync (sync_id, merchant_id, source, mode, rows, changed, skipped,
              rejected)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            summary.syncID, merchant, path, mode.rawValue, summary.rows, summary.changed,
            summary.skipped, summary.rejected,
          ])
        return summary
      }
    } catch let dryRun as DryRun {
      summary = dryRun.summary  // the transaction rolled back: nothing written
    }
    summary.durationMilliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
    return summary
  }

  /// Ends a dry run's transaction with a rollback, carrying what it would have done.
  private struct DryRun: Error {
    var summary: StockSyncSummary
  }

  static func apply(_ file: StockFile, to summary: inout StockSyncSummary, _ db: Database) throws {
    var file = file
    var issues: [RowIssue] = []
    // One time for the whole sync: it is one transaction, and the clock is read once.
    let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") ?? ""
    // A sync rewrites scattered pages of the stock table: a larger page cache keeps them until
    // the commit instead of spilling each to the WAL again and again.
    try db.execute(sql: "PRAGMA cache_size = -65536")
    defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
    var warehouses = Set<String>()
    // A platform's location names a warehouse by its id or its name, in any case.
    var named: [String: String] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT merchant_id, id, name FROM warehouse") {
      let (merchant, id, name): (String, String, String?) = (row[0], row[1], row[2])
      warehouses.insert(merchant + "\u{0}" + id)
      named[merchant + "\u{0}" + id.lowercased()] = id
      if let name { named[merchant + "\u{0}" + name.lowercased()] = id }
    }
    let merchants = Set(try String.fetchAll(db, sql: "SELECT id FROM merchant"))
    let set = try db.makeStatement(
      sql: """
        INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand, source_updated_at, updated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (merchant_id, sku, warehouse_id) DO UPDATE SET
          on_hand = excluded.on_hand,
          source_updated_at = coalesce(excluded.source_updated_at, stock.source_updated_at),
          updated_at = ?6
        WHERE (excluded.source_updated_at IS NULL OR stock.source_updated_at IS NULL
            OR excluded.source_updated_at >= stock.source_updated_at)
          AND (stock.on_hand != excluded.on_hand
            OR excluded.source_updated_at IS NOT stock.source_updated_at)
        """)
    // The guard is in the statement: the quantity never passes through Swift.
    let delta = try db.makeStatement(
      sql: """
        UPDATE stock SET on_hand = on_hand + ?4,
          source_updated_at = coalesce(?5, source_updated_at),
          updated_at = ?6
        WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3 AND on_hand + ?4 >= 0
          AND on_hand + ?4 <= \(StockRow.maximumQuantity)
          AND (?5 IS NULL OR source_updated_at IS NULL OR source_updated_at <= ?5)
        """)
    let insertNew = try db.makeStatement(
      sql: """
        INSERT OR IGNORE INTO stock (merchant_id, sku, warehouse_id, on_hand, source_updated_at,
          updated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        """)
    let stored = try db.makeStatement(
      sql: """
        SELECT on_hand, source_updated_at FROM stock
        WHERE merchant_id = ? AND sku = ? AND warehouse_id = ?
        """)
    try file.read { row in
      func reject(_ rule: String, _ message: String, field: String, value: String?) {
        var location = row.location
        location.field = field
        location.id = row.sku
        issues.append(
          RowIssue(location: location, rule: rule, message: message, rawValue: value))
      }
      guard merchants.contains(row.merchant) else {
        reject(
          "unknown-merchant", "no merchant \(row.merchant)", field: "merchant_id",
          value: row.merchant)
        return
      }
      var row = row
      if !warehouses.contains(row.merchant + "\u{0}" + row.warehouse),
        let id = named[row.merchant + "\u{0}" + row.warehouse.lowercased()]
      {
        row.warehouse = id
      }
      guard warehouses.contains(row.merchant + "\u{0}" + row.warehouse) else {
        reject(
          "unknown-warehouse",
          "merchant \(row.merchant) has no warehouse \(row.warehouse) "
            + "(add it with `mkt inventory warehouse add`)",
          field: "warehouse", value: row.warehouse)
        return
      }
      let arguments: StatementArguments = [
        row.merchant, row.sku, row.warehouse, row.quantity, row.updatedAt, now,
      ]
      switch row.mode {
      case .set:
        try set.execute(arguments: arguments)
        if db.changesCount == 1 {
          summary.changed += 1
        } else if row.updatedAt != nil,
          Self.isStale(
            row, try Row.fetchOne(stored, arguments: [row.merchant, row.sku, row.warehouse]))
        {
          summary.skipped += 1
        } else {
          summary.unchanged += 1
        }
      case .delta:
        try delta.execute(arguments: arguments)
        if db.changesCount == 1 {
          summary.changed += row.quantity == 0 ? 0 : 1
          summary.unchanged += row.quantity == 0 ? 1 : 0
          return
        }
        if row.quantity >= 0 {
          try insertNew.execute(arguments: arguments)
          if db.changesCount == 1 {
            summary.changed += 1
            return
          }
          let current = try Row.fetchOne(stored, arguments: [row.merchant, row.sku, row.warehouse])
          let onHand: Int64 = current?[0] ?? 0
          let (sum, overflow) = onHand.addingReportingOverflow(row.quantity)
          if !Self.isStale(row, current), overflow || sum.magnitude > StockRow.maximumQuantity {
            reject(
              "quantity-out-of-range",
              "adding \(row.quantity) would take on-hand above \(StockRow.maximumQuantity) "
                + "(on hand: \(onHand))",
              field: "quantity", value: String(row.quantity))
          } else {
            summary.skipped += 1  // stored, and newer than this row
          }
        } else {
          let current = try Row.fetchOne(stored, arguments: [row.merchant, row.sku, row.warehouse])
          if Self.isStale(row, current) {
            summary.skipped += 1
          } else {
            let onHand: Int64 = current?[0] ?? 0
            reject(
              "insufficient-stock",
              "removing \(-row.quantity) would take on-hand below 0 (on hand: \(onHand))",
              field: "quantity", value: String(row.quantity))
          }
        }
      }
    }
    summary.rows = file.count
    summary.issues = (file.issues + issues).sorted(by: RowIssue.inInputOrder)
  }

  /// Whether the stored row (`on_hand, source_updated_at`) is newer than `row`: `row`'s
  /// `updated_at` is before the stored one.
  private static func isStale(_ row: StockRow, _ stored: Row?) -> Bool {
    guard let updatedAt = row.updatedAt, let storedAt = stored?[1] as String? else {
      return false
    }
    return storedAt > updatedAt
  }
}
