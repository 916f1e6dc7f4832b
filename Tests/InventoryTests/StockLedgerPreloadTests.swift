import Foundation
import GRDB
import MktCore
import Store
import Testing

@testable import Inventory

/// A large file reads the merchant's stored levels in one pass instead of one lookup per key:
/// both ways must give every row the same outcome and leave the same stock.
@Suite struct StockLedgerPreloadTests {
  let folder = NSTemporaryDirectory() + "mkt-preload-" + UUID().uuidString

  /// Stock before the sync: levels the rows below raise, lower, repeat and leave alone.
  let seed =
    (0..<40).map { "S\($0),BER1,\($0 % 7),set,2026-11-25T10:00:00Z" } + [
      "A,BER1,10,set,2026-11-25T10:00:00Z", "B,HAM1,3,set,",
    ]

  let rows = [
    "A,BER1,-4,delta,",  // 6: changed
    "A,BER1,5,set,2026-11-25T09:00:00Z",  // older than the stored change: skipped
    "A,BER1,-7,delta,",  // below zero: rejected
    "B,HAM1,3,set,",  // unchanged
    "B,BER1,2,delta,",  // a new row beside a stored one
    "S3,BER1,-3,delta,",  // to zero
    "S4,BER1,4,set,2026-11-25T09:59:00Z",  // stale: skipped
    "S5,HAM1,-1,delta,",  // no stock row: rejected
    "S6,BER1,1,set,",  // changed
    "S6,BER1,6,delta,",  // 7: changed again
    "N1,HAM1,9,set,",  // new
  ]

  func store(_ name: String) async throws -> Store {
    let (store, inventory) = try await ledgerStore(folder, name)
    _ = try await inventory.sync(path: file(seed), merchant: "acme")
    return store
  }

  func file(_ lines: [String]) throws -> String {
    let path = folder + "/" + UUID().uuidString + ".csv"
    let text = "sku,warehouse,quantity,mode,updated_at\n" + lines.joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The outcome of each row, and the stock after, with the ledger told to expect `expected`
  /// rows.
  func apply(expected: Int, _ name: String) async throws -> ([String], [String]) {
    let store = try await store(name)
    var reading = try StockFile(path: try file(rows), merchant: "acme", mode: .set)
    var parsed: [StockRow] = []
    try reading.read { parsed.append($0) }
    let all = parsed
    let outcomes = try await store.write { db in
      var ledger = try StockLedger(db, merchant: "acme", expectedRows: expected)
      let outcomes = try all.map { "\(try ledger.apply($0))" }
      try ledger.write(db, now: "2026-12-07T00:00:00.000Z")
      return outcomes
    }
    let stock = try await store.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT sku || '/' || warehouse_id || '=' || on_hand || '@'
            || coalesce(source_updated_at, '') FROM stock ORDER BY sku, warehouse_id
          """)
    }
    return (outcomes, stock)
  }

  @Test func preloadedLevelsGiveWhatLookupsGive() async throws {
    let looked = try await apply(expected: 0, "lookups")
    let preloaded = try await apply(expected: 1_000, "preloaded")
    #expect(preloaded.0 == looked.0)
    #expect(preloaded.1 == looked.1)
    #expect(looked.0.filter { $0 == "changed" }.count == 6)
    #expect(looked.1.contains("A/BER1=6@2026-11-25T10:00:00Z"))
    #expect(looked.1.contains("S6/BER1=7@2026-11-25T10:00:00Z"))
    #expect(looked.1.contains("N1/HAM1=9@"))
  }
}
