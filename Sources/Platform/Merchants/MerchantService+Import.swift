import Foundation
import GRDB
import Importers
public import MktCore
import Search
import Store

extension MerchantService {
  /// Imports a merchants CSV (`id,name,country,currency,prices,domain`) under the import
  /// contract: upsert, replace or delete; blank cells keep stored values; `__EMPTY__` clears;
  /// all-or-nothing in one transaction; `--dry-run` computes the same diff and writes nothing.
  ///
  /// - Parameters:
  ///   - path: The file, or `-` for standard input.
  ///   - options: Mode, dry run, error budget, blank-cell policy.
  ///   - progress: Called now and then with the bytes read so far.
  /// - Returns: the counts, and the issues of rejected rows.
  /// - Throws: ``ImportError/tooManyErrors(source:rejected:maxErrors:issues:)`` when more rows
  ///   are rejected than `options.maxErrors`; source, CSV and store errors.
  public func importCSV(
    path: String, options: ImportOptions = ImportOptions(),
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws -> ImportSummary {
    let started = ContinuousClock.now
    let source = try ByteSource(path: path)
    let parsed = try MerchantCSV(source: source, options: options, progress: progress)
    let body: @Sendable (Database) throws -> ImportSummary = { db in
      var summary = ImportSummary(
        source: path, mode: options.mode, dryRun: options.dryRun, rows: parsed.rows)
      let plan = try MerchantPlan(changes: parsed.changes, mode: options.mode, db: db)
      summary.issues = (parsed.issues + plan.issues).sorted(by: RowIssue.inInputOrder)
      summary.rejected = Set(summary.issues.compactMap(\.location.line)).count
      guard summary.rejected <= options.maxErrors else {
        throw ImportError.tooManyErrors(
          source: path, rejected: summary.rejected, maxErrors: options.maxErrors,
          issues: summary.issues)
      }
      summary.inserted = plan.inserts.count
      summary.updated = plan.updates.count
      summary.removed = plan.removals.count
      summary.unchanged = plan.unchanged
      if !options.dryRun { try plan.apply(db) }
      return summary
    }
    var summary =
      options.dryRun ? try await store.read(body) : try await store.write(.full, body)
    // Removed merchants' products went with them: search's saved columns follow.
    if summary.removed > 0 && !options.dryRun { try await SearchService(store: store).prepare() }
    summary.durationMilliseconds = Int(
      (ContinuousClock.now - started) / .milliseconds(1))
    return summary
  }
}

/// The diff between a merchants CSV and the table: what to insert, update and remove.
struct MerchantPlan {
  var inserts: [Merchant] = []
  var updates: [Merchant] = []
  var removals: [String] = []
  var unchanged = 0
  var issues: [RowIssue] = []

  init(changes: [MerchantChange], mode: ImportMode, db: Database) throws {
    var existing: [String: Merchant] = [:]
    for merchant in try Merchant.fetchAll(db) { existing[merchant.id] = merchant }
    for change in changes {
      let stored = existing[change.id]
      if mode == .delete {
        if stored == nil { unchanged += 1 } else { removals.append(change.id) }
        continue
      }
      switch change.applied(to: stored) {
      case .failure(let issue): issues.append(issue)
      case .success(let merchant):
        if let stored {
          if merchant.sameFields(as: stored) { unchanged += 1 } else { updates.append(merchant) }
        } else {
          inserts.append(merchant)
        }
      }
    }
    if mode == .replace {
      let listed = Set(changes.map(\.id))
      removals = existing.keys.filter { !listed.contains($0) }.sorted()
    }
    // Checked in the plan, so a dry run refuses exactly what the real run would.
    try Merchant.checkRemovable(removals, db)
  }

  func apply(_ db: Database) throws {
    for merchant in inserts { try Merchant.insert(merchant, db) }
    for merchant in updates { try Merchant.update(merchant, db) }
    for id in removals { try Merchant.delete(id: id, db) }
  }
}
