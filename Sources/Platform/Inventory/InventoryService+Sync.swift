import Foundation
import GRDB
public import MktCore
import Store

extension InventoryService {
  /// Applies a stock file from a merchant's ERP, all of it or nothing, once.
  ///
  /// Each row sets the on-hand quantity (`set`) or adds to it (`delta`, never below zero) for
  /// one sku in one warehouse, inside one `BEGIN IMMEDIATE`, `synchronous=FULL` transaction: the
  /// rows are applied in file order to the levels in memory (``StockLedger``) and each stock row
  /// that changed is written once, in key order, before the commit — no other writer can move a
  /// level in between. A row whose `updated_at` is older than the stored one is skipped (the ERP's
  /// latest word wins). The sync is recorded under its id — `syncID`, else the file's checksum —
  /// and the same id again changes nothing. A lock beside the database keeps a second sync from
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
      let (merchant, id, name): (String, String, String?) = (
        row["merchant_id"], row["id"], row["name"]
      )
      warehouses.insert(merchant + "\u{0}" + id)
      named[merchant + "\u{0}" + id.lowercased()] = id
      if let name { named[merchant + "\u{0}" + name.lowercased()] = id }
    }
    let merchants = Set(try String.fetchAll(db, sql: "SELECT id FROM merchant"))
    // About the fewest bytes a real stock row takes (`SKU-0111494,LEJ1,2099` is 22): the
    // ledger's guess at the rows, for its choice between reading all levels or each one.
    var ledger = try StockLedger(db, merchant: file.merchant, expectedRows: file.bytes.count / 16)
    let rows = StockReadAhead(file)
    defer { rows.cancel() }
    while let row = try rows.next() {
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
        continue
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
        continue
      }
      switch try ledger.apply(row) {
      case .changed: summary.changed += 1
      case .unchanged: summary.unchanged += 1
      case .skipped: summary.skipped += 1
      case .rejected(let rule, let message):
        reject(rule, message, field: "quantity", value: String(row.quantity))
      }
    }
    try ledger.write(db, now: now)
    let read = rows.result
    summary.rows = read.count
    summary.issues = (read.issues + issues).sorted(by: RowIssue.inInputOrder)
  }
}
