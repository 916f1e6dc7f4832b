import Foundation
package import GRDB
import Store

/// An order to replay: its key, its id when stored, what the fraud module sees of it, and its
/// label when known.
public struct FraudCase: Sendable {
  public var key: String
  public var id: Int64?
  public var order: FraudOrder
  public var label: Bool?

  public init(key: String, id: Int64? = nil, order: FraudOrder, label: Bool?) {
    self.key = key
    self.id = id
    self.order = order
    self.label = label
  }
}

/// Replays orders in the order they were placed, each with its signals as they stood then.
package enum FraudReplay {
  /// The stored orders placed in `[from, to)`: the signals read the stored record up to each
  /// order (nothing placed after it is seen).
  package static func stored(
    from: Int64, to: Int64, _ db: Database, _ body: (FraudCase, FraudSignals) throws -> Void
  ) throws {
    // A replay reads the record's indexes again and again: 64 MiB of page cache instead of
    // SQLite's 2 MiB saves reading their pages back from the kernel (perf, backtest).
    try db.execute(sql: "PRAGMA cache_size = -65536")
    defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
    let windows = MerchantWindows()
    try FraudHistory.replay(from: from, to: to, db) { id, order, label in
      let signals = try FraudHistory.signals(for: order, recorded: id, windows: windows, db)
      windows.add(order)
      try body(FraudCase(key: String(id), id: id, order: order, label: label), signals)
    }
  }

  /// Times that cut `[from, to)` into `parts` spans of about equal length over the stored
  /// orders' times (fewer when there are fewer orders): the first is `from`, the last `to`.
  package static func bounds(from: Int64, to: Int64, parts: Int, _ db: Database) throws
    -> [Int64]
  {
    guard parts > 1,
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT min(at) AS first_at, max(at) AS last_at FROM fraud_observation
          WHERE at >= ? AND at < ?
          """,
        arguments: [from, to]),
      let first = row["first_at"] as Int64?, let last = row["last_at"] as Int64?, last > first
    else { return [from, to] }
    let step = (last - first) / Int64(parts) + 1
    return [from] + (1..<parts).map { first + Int64($0) * step }.filter { $0 < to } + [to]
  }

  /// Orders from a file: sorted by time (stably, so equal times keep the file's order), each
  /// scored against the ones before it, then recorded, in a database of their own in memory.
  package static func given(
    _ cases: [FraudCase], _ body: (FraudCase, FraudSignals) throws -> Void
  ) throws {
    let sorted = cases.enumerated().sorted {
      ($0.element.order.placedAt, $0.offset) < ($1.element.order.placedAt, $1.offset)
    }.map(\.element)
    let queue = try DatabaseQueue()
    try queue.writeWithoutTransaction { db in
      try FraudHistory.createScratch(db)
      try db.execute(sql: "BEGIN")
      let windows = MerchantWindows()
      for (index, item) in sorted.enumerated() {
        let signals = try FraudHistory.signals(for: item.order, windows: windows, db)
        windows.add(item.order)
        try body(item, signals)
        try FraudHistory.record(item.order, id: Int64(index + 1), paid: true, db)
      }
      try db.execute(sql: "COMMIT")
    }
  }
}
