import Catalog
import Foundation
import Importers
import Inventory
import Merchants
import MktCore
import Orders
import Store
import Testing

/// Hardening classes 5 and 6: refusals a user can hit say so, and keys answer for one merchant.
@Suite struct OrderHardeningTests {
  /// Adds merchant `beta` with a CHAIR of its own in stock, beside the shop's `acme`.
  func addBeta(_ shop: Shop) async throws {
    _ = try await MerchantService(store: shop.store).add(
      MerchantService.merchant(
        id: "beta", name: "Beta", country: "DE", currency: nil, prices: nil, domain: nil))
    let feed = shop.directory + "/beta.csv"
    try Data(
      """
      id,title,description,link,image_link,availability,price,brand,gtin
      CHAIR,Beta chair,Another chair.,https://beta.example/c,https://cdn.beta.example/c.jpg,in_stock,80.00 EUR,Beta,4006381333931

      """.utf8
    ).write(to: URL(fileURLWithPath: feed))
    _ = try await CatalogService(store: shop.store).importFeed(
      path: feed, feed: FeedOptions(merchant: "beta"))
    let inventory = InventoryService(store: shop.store)
    _ = try await inventory.addWarehouse(
      merchant: "beta", id: "HAM", name: nil, country: "DE", serves: ["DE"])
    let stock = shop.directory + "/beta-stock.csv"
    try Data("sku,warehouse,quantity\nCHAIR,HAM,5\n".utf8).write(to: URL(fileURLWithPath: stock))
    _ = try await inventory.sync(path: stock, merchant: "beta")
  }

  @Test func anotherMerchantsKeyPlacesItsOwnOrder() async throws {
    let shop = try await Shop()
    try await addBeta(shop)
    let service = try await OrderService.open(store: shop.store)
    let first = try await service.place(order("k1", [("CHAIR", 1)]))
    var request = order("k1", [("CHAIR", 2)])
    request.merchant = "beta"
    let second = try await service.place(request)
    #expect(!second.replayed)
    #expect(second.orderID != first.orderID)
    #expect(second.total == "160.00")
    #expect(try await service.order(second.orderID).merchantID == "beta")
  }

  @Test func theSameKeyWithAnotherOrderIsRefusedAndARetryReplays() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    let first = try await service.place(order("k1", [("CHAIR", 1)]))
    let retry = try await service.place(order("k1", [("CHAIR", 1)]))
    #expect(retry.replayed && retry.orderID == first.orderID)
    await #expect(throws: OrderError.keyReused(key: "k1", order: first.orderID)) {
      try await service.place(order("k1", [("CHAIR", 3)]))
    }
    #expect(try await shop.available("CHAIR") == 9)
  }

  @Test func aMerchantWithOrdersIsNotRemovedAndTheDryRunSaysSo() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    _ = try await service.place(order("k1", [("CHAIR", 1)]))
    let merchants = MerchantService(store: shop.store)
    let refusal = MerchantError.hasOrders([
      MerchantError.Dependents(id: "acme", orders: 1, products: 2, warehouses: 2)
    ])
    await #expect(throws: refusal) { try await merchants.remove(id: "acme") }
    let csv = shop.directory + "/merchants.csv"
    try Data("id,name,country\nother,Other,DE\n".utf8).write(to: URL(fileURLWithPath: csv))
    for dryRun in [true, false] {
      let options = ImportOptions(mode: .replace, dryRun: dryRun)
      await #expect(throws: refusal) { try await merchants.importCSV(path: csv, options: options) }
    }
    try Data("id,name,country\nacme,Acme,DE\n".utf8).write(to: URL(fileURLWithPath: csv))
    for dryRun in [true, false] {
      let options = ImportOptions(mode: .delete, dryRun: dryRun)
      await #expect(throws: refusal) { try await merchants.importCSV(path: csv, options: options) }
    }
    #expect(try await merchants.count() == 1)
    #expect(refusal.exitStatus == .dataError)
  }
}
