import Foundation
import Inventory
import Merchants
import MktCore
import Store
import Testing

@Suite struct InventoryTests {
  let store: Store
  let inventory: InventoryService
  let folder: String

  init() async throws {
    folder = NSTemporaryDirectory() + "mkt-inventory-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    store = try Store.open(path: folder + "/mkt.db", mode: .create)
    inventory = InventoryService(store: store)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
    _ = try await inventory.addWarehouse(
      merchant: "acme", id: "BER1", name: nil, country: "DE", serves: ["DE", "AT"])
    _ = try await inventory.addWarehouse(
      merchant: "acme", id: "HAM1", name: nil, country: "DE", serves: [])
  }

  func file(_ text: String, _ name: String = "stock-\(UUID().uuidString).csv") throws -> String {
    let path = folder + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  func onHand(_ sku: String, _ warehouse: String) async throws -> Int? {
    try await inventory.stock(sku: sku, merchant: "acme").first { $0.warehouseID == warehouse }?
      .onHand
  }

  @Test func aSyncAppliesOnceAndSkipsOlderRows() async throws {
    let path = try file(
      "sku,warehouse,quantity,updated_at\nA,BER1,10,2026-11-25T10:00:00Z\nA,HAM1,4,\n")
    let first = try await inventory.sync(path: path, merchant: "acme")
    #expect((first.changed, first.rejected) == (2, 0))
    let again = try await inventory.sync(path: path, merchant: "acme")
    #expect(again.alreadyAppliedAt != nil)
    #expect(again.changed == 0)
    let older = try file("sku,warehouse,quantity,updated_at\nA,BER1,99,2026-11-25T09:00:00+00:00\n")
    let skipped = try await inventory.sync(path: older, merchant: "acme")
    #expect((skipped.changed, skipped.skipped) == (0, 1))
    #expect(try await onHand("A", "BER1") == 10)
    let newer = try file("sku,warehouse,quantity,updated_at\nA,BER1,7,2026-11-25T12:00:00+01:00\n")
    #expect(try await inventory.sync(path: newer, merchant: "acme").changed == 1)
    #expect(try await onHand("A", "BER1") == 7)
  }

  @Test func deltasNeverGoBelowZeroAndBadRowsAreNamed() async throws {
    _ = try await inventory.sync(
      path: try file("sku,warehouse,quantity\nA,BER1,3\n"), merchant: "acme")
    let path = try file(
      """
      sku,warehouse,quantity,mode
      A,BER1,-2,delta
      A,BER1,-2,delta
      A,PAR1,1,set
      B,BER1,-1,set
      C,BER1,x,set

      """)
    let run = try await inventory.sync(
      path: path, merchant: "acme", options: ImportOptions(maxErrors: 10))
    #expect(run.changed == 1)
    #expect(
      run.issues.map(\.rule).sorted()
        == ["insufficient-stock", "invalid-quantity", "negative-quantity", "unknown-warehouse"])
    #expect(try await onHand("A", "BER1") == 1)
    let tooMany = try file("sku,warehouse,quantity\nZ,NOWHERE,1\n")
    await #expect(throws: ImportError.self) {
      try await inventory.sync(path: tooMany, merchant: "acme")
    }
  }

  @Test func aDryRunWritesNothingAndJSONLinesWork() async throws {
    let path = try file(
      "{\"sku\": \"J\", \"warehouse\": \"HAM1\", \"quantity\": 5}\n{\"sku\": \"K\", \"warehouse\": \"HAM1\", \"quantity\": \"2\", \"mode\": \"delta\"}\n",
      "stock.jsonl")
    let dry = try await inventory.sync(
      path: path, merchant: "acme", options: ImportOptions(dryRun: true))
    #expect(dry.changed == 2)
    #expect(try await inventory.stock(merchant: "acme").isEmpty)
    #expect(try await inventory.sync(path: path, merchant: "acme").changed == 2)
    #expect(try await onHand("K", "HAM1") == 2)
  }

  /// Found by StockFuzz (Fuzz/regressions/stock): `false` read as a quantity of 0, `null` as the
  /// sku `<null>`, an object as a sku.
  @Test func jsonLinesTakeTextAndWholeNumbersOnly() async throws {
    let path = try file(
      """
      {"sku": "P", "warehouse": "BER1", "quantity": false}
      {"sku": {"a": 1}, "warehouse": "BER1", "quantity": 2}
      {"sku": 12.5, "warehouse": "BER1", "quantity": 1}
      {"sku": null, "warehouse": "BER1", "quantity": 1}
      {"sku": 42, "warehouse": "BER1", "quantity": 3, "mode": null, "updated_at": null}

      """, "stock.jsonl")
    let summary = try await inventory.sync(
      path: path, merchant: "acme", options: ImportOptions(maxErrors: 10))
    #expect(
      summary.issues.map(\.rule) == ["invalid-type", "invalid-type", "invalid-type", "missing-sku"])
    #expect(summary.issues.map(\.location.line) == [1, 2, 3, 4])
    #expect(summary.changed == 1)
    #expect(try await onHand("42", "BER1") == 3)
    #expect(try await onHand("P", "BER1") == nil)
  }

  /// Issue 15, item 3: the stock exports merchants already have.
  @Test func shopifyAndMagentoStockExportsSync() async throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"
    let shopify = try await inventory.sync(
      path: fixtures + "/shopify-inventory.csv", merchant: "acme",
      options: ImportOptions(maxErrors: 5), locations: ["MAIN STORE": "BER1"])
    #expect(try await onHand("WW-MP-S", "BER1") == 12, "On hand (current) when new is empty")
    #expect(try await onHand("WW-MP-M", "BER1") == 9, "On hand (new) when filled in")
    #expect(try await onHand("WW-MP-M", "HAM1") == 6, "a location named like a warehouse id")
    #expect(try await onHand("WW-MP-S", "HAM1") == nil, "Hamburg Lager names no warehouse")
    #expect(shopify.issues.map(\.rule) == ["unknown-warehouse"])
    #expect(shopify.issues.first?.location.line == 4)
    let magento = try await inventory.sync(
      path: fixtures + "/magento-source-items.csv", merchant: "acme",
      options: ImportOptions(maxErrors: 5))
    #expect(try await onHand("WW-MP-S", "BER1") == 7)
    #expect(try await onHand("WW-MP-M", "HAM1") == 12)
    #expect(magento.issues.map(\.rule) == ["invalid-quantity"])
    #expect(magento.issues.first?.location.line == 4)
    // Any other CSV, its columns renamed as feeds take them (--map).
    let erp = try file("Artikel;Lager;Bestand\nWW-MP-L;HAM1;4\n")
    let mapped = try await inventory.sync(
      path: erp, merchant: "acme",
      mapping: ["artikel": "sku", "lager": "warehouse", "bestand": "quantity"])
    #expect(mapped.changed == 1)
    #expect(try await onHand("WW-MP-L", "HAM1") == 4)
  }

  @Test func concurrentSyncsNeverLoseAnUpdate() async throws {
    _ = try await inventory.sync(
      path: try file("sku,warehouse,quantity\nA,BER1,1000\n"), merchant: "acme")
    // 16 syncs at once, each removing 7: the lock lets one run at a time and refuses the
    // others (exit 75 from the command line); whatever ran is counted exactly.
    let paths = try (0..<16).map { _ in try file("sku,warehouse,quantity,mode\nA,BER1,-7,delta\n") }
    let applied = await withTaskGroup(of: Bool.self) { group in
      for path in paths {
        group.addTask {
          do {
            _ = try await inventory.sync(path: path, merchant: "acme", syncID: path)
            return true
          } catch let error as LockError {
            guard case .held = error else { return false }
            return false
          } catch {
            return false
          }
        }
      }
      var count = 0
      for await done in group where done { count += 1 }
      return count
    }
    #expect(applied >= 1)
    #expect(try await onHand("A", "BER1") == 1000 - 7 * applied)
  }

  @Test func aLockLeftByADeadProcessIsTakenOver() throws {
    let path = folder + "/job.lock"
    try Data("999999\n".utf8).write(to: URL(fileURLWithPath: path))
    let lock = try FileLock(path: path)
    #expect(lock.staleHolder == 999_999)
    #expect(throws: LockError.self) { try FileLock(path: path) }
    lock.release()
    let next = try FileLock(path: path)
    #expect(next.staleHolder == nil, "a released lock is a clean hand-over")
  }

  @Test func warehousesValidateTheirCountries() async throws {
    await #expect(throws: InventoryError.self) {
      try await inventory.addWarehouse(
        merchant: "acme", id: "NYC1", name: nil, country: "US", serves: [])
    }
    await #expect(throws: InventoryError.self) {
      try await inventory.addWarehouse(
        merchant: "nobody", id: "X1", name: nil, country: "DE", serves: [])
    }
    #expect(try await inventory.warehouses(merchant: "acme").map(\.id) == ["BER1", "HAM1"])
  }
}
