import Foundation
import Inventory
import MktCore
import Testing

/// A sync applies a file's rows to levels in memory and writes each stock row once: a key
/// repeated in the file must end exactly as if each row had been synced alone, in order.
@Suite struct StockLedgerTests {
  let folder = NSTemporaryDirectory() + "mkt-ledger-" + UUID().uuidString

  let rows = [
    "A,BER1,10,set,2026-11-25T10:00:00Z",  // a new row: changed
    "A,BER1,-4,delta,",  // 6: changed
    "A,BER1,5,set,2026-11-25T09:00:00Z",  // older than the stored change: skipped
    "A,BER1,-7,delta,",  // below zero: rejected, nothing moves
    "A,BER1,0,delta,",  // unchanged
    "A,BER1,3,delta,2026-11-25T11:00:00Z",  // 9: changed
    "A,BER1,9,set,2026-11-25T11:00:00Z",  // the same level and time: unchanged
    "B,HAM1,-1,delta,",  // no stock yet: rejected
    "B,HAM1,2,delta,",  // a new row: changed
    "B,HAM1,2,set,",  // unchanged
    "C,BER1,1000000000000,set,",  // the most a row may hold
    "C,BER1,1,delta,",  // above it: rejected
  ]

  func inventory(_ name: String) async throws -> InventoryService {
    try await ledgerStore(folder, name).1
  }

  func sync(_ inventory: InventoryService, _ lines: [String]) async throws -> StockSyncSummary {
    let path = folder + "/" + UUID().uuidString + ".csv"
    let text = "sku,warehouse,quantity,mode,updated_at\n" + lines.joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return try await inventory.sync(
      path: path, merchant: "acme", options: ImportOptions(maxErrors: 100))
  }

  func levels(_ inventory: InventoryService) async throws -> [String: Int] {
    var levels: [String: Int] = [:]
    for sku in ["A", "B", "C"] {
      for row in try await inventory.stock(sku: sku, merchant: "acme") {
        levels[sku + "/" + row.warehouseID] = row.onHand
      }
    }
    return levels
  }

  @Test func repeatedKeysEndAsRowsSyncedOneByOne() async throws {
    let batch = try await inventory("batch")
    let summary = try await sync(batch, rows)
    #expect(
      (summary.changed, summary.unchanged, summary.skipped, summary.rejected) == (5, 3, 1, 3))
    #expect(
      summary.issues.map { "\($0.location.line ?? 0) \($0.rule)" }
        == ["5 insufficient-stock", "9 insufficient-stock", "13 quantity-out-of-range"])
    #expect(
      try await levels(batch) == ["A/BER1": 9, "B/HAM1": 2, "C/BER1": 1_000_000_000_000])

    let alone = try await inventory("alone")
    var counts = (0, 0, 0, 0)
    for row in rows {
      let one = try await sync(alone, [row])
      counts.0 += one.changed
      counts.1 += one.unchanged
      counts.2 += one.skipped
      counts.3 += one.rejected
    }
    #expect(counts == (summary.changed, summary.unchanged, summary.skipped, summary.rejected))
    #expect(try await levels(alone) == levels(batch))
  }
}
