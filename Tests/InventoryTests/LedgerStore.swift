import Foundation
import Inventory
import Merchants
import Store

/// A fresh store in `folder/name` for the ledger's tests: merchant `acme` with warehouses
/// `BER1` and `HAM1`.
func ledgerStore(_ folder: String, _ name: String) async throws -> (Store, InventoryService) {
  let path = folder + "/" + name
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  let store = try Store.open(path: path + "/mkt.db", mode: .create)
  _ = try await MerchantService(store: store).add(
    MerchantService.merchant(
      id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
  let inventory = InventoryService(store: store)
  for warehouse in ["BER1", "HAM1"] {
    _ = try await inventory.addWarehouse(
      merchant: "acme", id: warehouse, name: nil, country: "DE", serves: [])
  }
  return (store, inventory)
}
