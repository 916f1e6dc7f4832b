import Access
import Catalog
import Foundation
import Importers
import Inventory
import MktCore
public import Store

/// `mkt push`: the local changes since the last acknowledged position, sent to a remote
/// `mkt serve` in batches, each under an idempotency key derived from its content and place.
///
/// The position moves only after every batch was answered 2xx, so a push killed at any moment
/// and run again sends the rest; the remote applies a batch it has seen before as a no-op
/// (products equal to what it has are unchanged, a stock sync id is applied once), so nothing
/// is applied twice. Before a product is sent, the remote's hash of it is compared with what
/// the last push sent: a row changed on the remote since is a conflict, listed and not
/// overwritten unless forced.
public struct PushService: Sendable {
  let store: Store
  let journal: PushJournal

  public init(store: Store) {
    self.store = store
    journal = PushJournal(store: store)
  }

  /// The targets pushed to, with their positions and pending changes.
  public func status() async throws -> [PushStatus] {
    try await journal.statuses()
  }

  /// Pushes the changes `options` select.
  ///
  /// - Throws: ``PushError`` (69 unreachable, 77 token refused, 65 rows rejected or
  ///   conflicts, 75 another push running); the position is then unchanged.
  public func push(_ options: PushOptions) async throws -> PushReport {
    guard let base = URL(string: options.url), ["http", "https"].contains(base.scheme ?? ""),
      base.host != nil
    else { throw PushError.badURL(options.url) }
    let url = options.url.hasSuffix("/") ? String(options.url.dropLast()) : options.url
    let lock = try takeLock()
    defer { lock?.release() }
    let target =
      url + "#" + (options.merchant ?? "*") + "#"
      + options.kinds.map(\.rawValue).sorted().joined(separator: ",")
    let from = try await journal.position(target)
    let (changes, top) = try await journal.changes(
      after: from, merchant: options.merchant, kinds: options.kinds)
    var report = PushReport(url: url, dryRun: options.dryRun, from: from, to: from)
    let client = PushClient(url: url, options: options)
    do {
      var chunks: [(merchant: String, changes: [PushJournal.Change])] = []
      for (merchant, ids) in Self.group(changes, kind: "product") {
        report.pending["catalog \(merchant)", default: 0] += ids.count
        for start in stride(from: 0, to: ids.count, by: options.batchSize) {
          chunks.append((merchant, Array(ids[start..<min(start + options.batchSize, ids.count)])))
        }
      }
      try await pushProducts(chunks, from: from, to: top, client, &report)
      for (merchant, keys) in Self.group(changes, kind: "stock") {
        report.pending["stock \(merchant)", default: 0] += keys.count
        for start in stride(from: 0, to: keys.count, by: options.batchSize) {
          let chunk = Array(keys[start..<min(start + options.batchSize, keys.count)])
          try await pushStock(chunk, of: merchant, from: from, to: top, client, &report)
        }
      }
      for (merchant, keys) in Self.group(changes, kind: "translation") {
        report.pending["translations \(merchant)", default: 0] += keys.count
        for start in stride(from: 0, to: keys.count, by: options.batchSize) {
          let chunk = Array(keys[start..<min(start + options.batchSize, keys.count)])
          try await pushTranslations(chunk, of: merchant, from: from, to: top, client, &report)
        }
      }
      let rules = changes.filter { $0.kind == "rule" }
      for (merchant, ids) in Self.group(rules, kind: "rule") {
        report.pending[
          "rules \(merchant.isEmpty ? "(several merchants)" : merchant)", default: 0] +=
          ids.count
      }
      try await pushRules(rules.map(\.key), from: from, to: top, client, &report)
    } catch {
      if !options.dryRun {
        try await journal.record(target, position: nil, pushed: 0, error: "\(error)")
      }
      throw error
    }
    guard !options.dryRun else { return report }
    let sent =
      report.products + report.deletions + report.stockLevels + report.translations + report.rules
    guard report.conflicts.isEmpty else {
      // The rows around the conflicts were sent; the position stays, so a push with --force
      // (or after the conflicts are resolved) still sees them.
      let error = PushError.conflicts(report.conflicts)
      try await journal.record(target, position: nil, pushed: sent, error: "\(error)")
      throw error
    }
    try await journal.record(target, position: top, pushed: sent, error: nil)
    report.to = top
    return report
  }

  /// The push lock beside the database: one push at a time.
  func takeLock() throws -> FileLock? {
    guard store.path != ":memory:" else { return nil }
    let result = Result { () throws(LockError) -> FileLock in
      try FileLock(path: store.path + ".push.lock")
    }
    switch result {
    case .success(let lock): return lock
    case .failure(.held(_, let pid)): throw PushError.running(pid: pid)
    case .failure(let error): throw error
    }
  }

  /// The changed keys of `kind`, by merchant, in journal order.
  static func group(_ changes: [PushJournal.Change], kind: String) -> [(
    String, [PushJournal.Change]
  )] {
    var order: [String] = []
    var groups: [String: [PushJournal.Change]] = [:]
    for change in changes where change.kind == kind {
      if groups[change.merchant] == nil { order.append(change.merchant) }
      groups[change.merchant, default: []].append(change)
    }
    return order.map { ($0, groups[$0] ?? []) }
  }

  /// Sends one batch of stock levels as a stock sync (its id the batch key).
  func pushStock(
    _ changes: [PushJournal.Change], of merchant: String, from: Int64, to: Int64,
    _ client: PushClient, _ report: inout PushReport
  ) async throws {
    let levels = try await InventoryService(store: store).levels(
      merchant: merchant, keys: changes.map { ($0.key, $0.part) })
    let present = Set(levels.map { $0.sku + "\u{1F}" + $0.warehouse })
    // A stock row removed here (its warehouse removed) is not removed remotely: listed.
    report.skippedDeletions += changes.filter {
      !present.contains($0.key + "\u{1F}" + $0.part)
    }.map { "stock \(merchant)/\($0.key)@\($0.part)" }
    guard !levels.isEmpty else { return }
    var text = "sku,warehouse,quantity\n"
    for level in levels {
      text +=
        FeedWriter.csvCell(level.sku) + "," + FeedWriter.csvCell(level.warehouse) + ","
        + String(level.onHand) + "\n"
    }
    let body = Array(text.utf8)
    if client.options.dryRun {
      report.stockLevels += levels.count
      for level in levels.prefix(max(0, 5 - report.sample.count)) {
        report.sample.append("stock \(merchant) \(level.sku)@\(level.warehouse)=\(level.onHand)")
      }
      return
    }
    try await client.stock(
      merchant: merchant, body: body, key: Self.key(client.url, merchant, "stock", from, to, body))
    report.stockLevels += levels.count
    report.batches += 1
  }

  /// A Merchant Center CSV of canonical lines, which the remote's import reads back into the
  /// same lines (the round trip `mkt catalog export --format csv` guarantees).
  static func csv(_ lines: [String]) -> [UInt8] {
    let records = lines.compactMap { ProductRecord(canonicalJSON: $0) }
    var attributes = Set<Attribute>()
    var custom = Set<String>()
    for record in records {
      for attribute in Attribute.allCases where !record.all(attribute).isEmpty {
        attributes.insert(attribute)
      }
      custom.formUnion(record.custom.keys)
    }
    let writer = FeedWriter(format: .csv, attributes: Array(attributes), custom: Array(custom))
    var text = writer.header
    for record in records { text += writer.record(record) }
    return Array(text.utf8)
  }

  /// The batch's idempotency key: the same batch sent again (after a kill) has the same key.
  static func key(
    _ url: String, _ merchant: String, _ kind: String, _ from: Int64, _ to: Int64, _ body: [UInt8]
  ) -> String {
    "push-"
      + Digest.hex(
        Digest.sha256(Array("\(url)\n\(merchant)\n\(kind)\n\(from)\n\(to)\n".utf8) + body)
      ).prefix(40)
  }
}
