import Catalog
import Foundation
import Fraud
import GRDB
import Importers
import Inventory
import Merchants
import MktCore
import Orders
import Pricing
import Store
import Testing

/// A shop with two products, two warehouses and stock, on a temporary database file.
struct Shop {
  let store: Store
  let directory: String

  init(
    stock: [(sku: String, warehouse: String, quantity: Int)] = [
      ("CHAIR", "BER", 10), ("LAMP", "BER", 3),
    ], berlinServes: [String] = ["DE", "AT", "FR"]
  ) async throws {
    directory = NSTemporaryDirectory() + "mkt-orders-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    store = try Store.open(path: directory + "/mkt.db", mode: .create)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
    let feed = directory + "/feed.csv"
    try Data(
      """
      id,title,description,link,image_link,availability,price,brand,gtin
      CHAIR,Chair,A good chair.,https://acme.example/c,https://cdn.acme.example/c.jpg,in_stock,119.00 EUR,Acme,4006381333931
      LAMP,Lamp,A bright lamp.,https://acme.example/l,https://cdn.acme.example/l.jpg,in_stock,59.50 EUR,Acme,4006381333931

      """.utf8
    ).write(to: URL(fileURLWithPath: feed))
    _ = try await CatalogService(store: store).importFeed(
      path: feed, feed: FeedOptions(merchant: "acme"))
    let inventory = InventoryService(store: store)
    _ = try await inventory.addWarehouse(
      merchant: "acme", id: "BER", name: nil, country: "DE", serves: berlinServes)
    _ = try await inventory.addWarehouse(
      merchant: "acme", id: "VIE", name: nil, country: "AT", serves: ["AT", "DE"])
    let stockFile = directory + "/stock.csv"
    try Data(
      ("sku,warehouse,quantity\n"
        + stock.map { "\($0.sku),\($0.warehouse),\($0.quantity)\n" }
        .joined()).utf8
    ).write(to: URL(fileURLWithPath: stockFile))
    _ = try await inventory.sync(path: stockFile, merchant: "acme")
  }

  func available(_ sku: String) async throws -> Int {
    try await store.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT coalesce(sum(on_hand), 0)
            + (SELECT coalesce(sum(quantity), 0) FROM reservation WHERE sku = ?1)
          FROM stock WHERE sku = ?1
          """, arguments: [sku]) ?? -1
    }
  }

  func count(_ table: String) async throws -> Int {
    try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }

  /// The outbox's events, oldest first: topic and merchant.
  func outbox() async throws -> [String] {
    try await store.read {
      try String.fetchAll($0, sql: "SELECT topic || ' ' || merchant_id FROM outbox ORDER BY id")
    }
  }
}

func order(
  _ key: String, _ lines: [(String, Int)], country: String = "DE", customer: String = "C1",
  codes: [String] = [], token: String? = nil, method: String = "card"
) -> OrderRequest {
  var request = OrderRequest(
    idempotencyKey: key, merchant: "acme",
    customer: OrderRequest.Customer(id: customer, email: "\(customer.lowercased())@example.com"),
    country: country, lines: lines.map { OrderRequest.Line(sku: $0.0, quantity: $0.1) })
  request.ip = "10.0.0.\(abs(customer.hashValue) % 200)"
  request.codes = codes
  request.payment = OrderRequest.Payment(method: method, token: token)
  request.placedAt = "2026-11-25T10:00:00Z"
  return request
}

@Suite struct OrderPlacementTests {
  @Test func placesOnceReservesAndReplaysByKey() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    let placed = try await service.place(order("k1", [("CHAIR", 2), ("LAMP", 1)]))
    #expect(placed.status == .paid)
    #expect(placed.total == "297.50")
    #expect(!placed.replayed)
    #expect(try await shop.available("CHAIR") == 8)
    let again = try await service.place(order("k1", [("CHAIR", 2), ("LAMP", 1)]))
    #expect(again.replayed && again.orderID == placed.orderID)
    #expect(try await shop.available("CHAIR") == 8)
    let stored = try await service.order(placed.orderID)
    #expect(stored.lines.map(\.sku) == ["CHAIR", "LAMP"])
    #expect(stored.lines.map(\.warehouseID) == ["BER", "BER"])
    #expect(stored.events.map(\.to) == ["paid"])
    #expect(stored.paymentReference == "test-order-\(placed.orderID)")
    // LAMP went from 3 to 2 available, below the default threshold of 5; CHAIR stays at 8.
    #expect(try await shop.outbox() == ["stock.low acme", "order.placed acme"])
  }

  @Test func refusalsReserveNothing() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    await #expect(throws: OrderError.unknownProduct(sku: "SOFA", merchant: "acme")) {
      try await service.place(order("a", [("CHAIR", 1), ("SOFA", 1)]))
    }
    await #expect(throws: OrderError.self) { try await service.place(order("b", [("CHAIR", 0)])) }
    var zloty = order("c", [("CHAIR", 1)])
    zloty.currency = "PLN"
    await #expect(
      throws: OrderError.currencyNotUsed(currency: "PLN", country: "DE", expected: "EUR")
    ) {
      try await service.place(zloty)
    }
    await #expect(throws: OrderError.outOfStock(sku: "LAMP", requested: 4, available: 3)) {
      try await service.place(order("d", [("CHAIR", 1), ("LAMP", 4)]))
    }
    await #expect(throws: OrderError.self) {
      try await service.place(order("e", [("CHAIR", 1)], token: "tok_decline"))
    }
    await #expect(throws: OrderError.paymentFailed("the test gateway is set to fail")) {
      try await service.place(order("f", [("CHAIR", 1)], token: "tok_fail"))
    }
    #expect(try await shop.available("CHAIR") == 10)
    #expect(try await shop.available("LAMP") == 3)
    #expect(try await shop.count("orders") == 0)
    #expect(try await shop.count("reservation") == 0)
  }

  @Test func anExpiredCodeIsRefusedWithItsReason() async throws {
    let shop = try await Shop()
    _ = try await PricingService(store: shop.store).load(
      """
      - {id: early, kind: percentage_off, percent: 10, code: EARLY,
         schedule: {end: "2026-11-01T00:00", timezone: Europe/Berlin}}
      """, file: "rules.yaml")
    let service = try await OrderService.open(store: shop.store)
    do {
      _ = try await service.place(order("x", [("CHAIR", 1)], codes: ["early"]))
      Issue.record("placed with an expired code")
    } catch let error as OrderError {
      #expect("\(error)".contains("EARLY"))
      #expect("\(error)".contains("ended 2026-11-01T00:00"))
    }
    #expect(try await shop.count("reservation") == 0)
  }

  @Test func fraudHoldsTheOrderForReviewWithStockKept() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    var risky = order("r1", [("CHAIR", 5)], country: "DE", customer: "NEW")
    risky.billingCountry = "FR"
    risky.ipCountry = "NG"
    let held = try await service.place(risky)
    #expect(held.status == .review)
    #expect(try await shop.available("CHAIR") == 5)
    let stored = try await service.order(held.orderID)
    #expect(stored.fraudReasons.contains { $0.contains("IP in NG") })
    #expect(stored.paymentReference == nil)
    let approved = try await service.approve(held.orderID)
    #expect(approved.status == .paid)
    await #expect(throws: OrderError.self) { try await service.approve(held.orderID) }
  }

  @Test func theShoppersDeviceAndAccountAgeAreStoredAndWeighed() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    // Four accounts on one phone within minutes, each new: the fifth is held.
    var placed: [Placement] = []
    for index in 1...5 {
      var request = order("d\(index)", [("CHAIR", 1)], customer: "A\(index)")
      request.placedAt = "2026-11-25T10:0\(index):00Z"
      request.deviceID = "phone-1"
      request.cardFingerprint = "card-\(index)"
      request.userAgent = "Mobile Safari"
      request.channel = "app"
      request.customer.createdAt = "2026-11-25T09:5\(index):00Z"
      placed.append(try await service.place(request))
    }
    #expect(placed.prefix(2).allSatisfy { $0.status == .paid })
    #expect(placed.last?.status == .review)
    let held = try await service.order(try #require(placed.last).orderID)
    #expect(held.fraudReasons.contains("5 accounts on this device in 30 days"))
    #expect(held.fraudReasons.contains("4 orders from this device in the last hour"))
    #expect(held.deviceID == "phone-1" && held.cardFingerprint == "card-5")
    #expect(held.userAgent == "Mobile Safari" && held.channel == "app")
    #expect(held.customerCreatedAt == "2026-11-25T09:55:00Z")
    var bad = order("d9", [("CHAIR", 1)])
    bad.customer.createdAt = "yesterday"
    await #expect(throws: OrderError.self) { try await service.place(bad) }
  }

  @Test func anExplanationSeesTheHistoryAsPlacementDidAndTheQueueIsOldestFirst() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    func place(_ key: String, _ at: String, customer: String = "C1") async throws -> Placement {
      var request = order(key, [("CHAIR", 1)], customer: customer)
      request.placedAt = at
      request.ip = "10.9.9.9"
      return try await service.place(request)
    }
    _ = try await place("e1", "2026-11-25T10:00:00Z")
    let second = try await place("e2", "2026-11-25T10:10:00Z")
    // Placed later (and a later order in the same second): not seen by the second's signals.
    _ = try await place("e3", "2026-11-25T10:10:00Z", customer: "C2")
    _ = try await place("e4", "2026-11-25T10:20:00Z")
    let explained = try await service.explainFraud(second.orderID)
    #expect(explained.signals.customer.hour == 1 && explained.signals.ip.hour == 1)
    #expect(explained.signals.accountsPerIP == 1 && explained.score == second.fraudScore)
    await #expect(throws: OrderError.notFound(999)) { try await service.explainFraud(999) }

    var risky = order("r1", [("CHAIR", 2)], customer: "NEW")
    risky.billingCountry = "FR"
    risky.ipCountry = "NG"
    risky.placedAt = "2026-11-25T09:00:00Z"
    risky.customer.createdAt = "2026-11-25T08:59:00Z"
    var later = risky
    later.idempotencyKey = "r2"
    later.customer.id = "NEW2"
    later.placedAt = "2026-11-25T11:00:00Z"
    later.customer.createdAt = "2026-11-25T10:59:00Z"
    let first = try await service.place(risky)
    let next = try await service.place(later)
    #expect(first.status == .review && next.status == .review)
    let queue = try await service.reviewQueue()
    #expect(queue.map(\.id) == [first.orderID, next.orderID])
    let old = try await service.reviewQueue(
      olderThan: 3_600, now: ISO8601DateFormatter().date(from: "2026-11-25T10:30:00Z")!)
    #expect(old.map(\.id) == [first.orderID])
  }

  @Test func lifecycleMovesStockAndRefusesIllegalSteps() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    let placed = try await service.place(order("l1", [("CHAIR", 3)]))
    let partly = try await service.fulfil(placed.orderID, quantities: [1: 1])
    #expect(partly.status == .partiallyFulfilled)
    let done = try await service.fulfil(placed.orderID)
    #expect(done.status == .fulfilled)
    #expect(try await shop.available("CHAIR") == 7)
    let onHand = try await shop.store.read {
      try Int.fetchOne($0, sql: "SELECT on_hand FROM stock WHERE sku = 'CHAIR'")
    }
    #expect(onHand == 7)
    do {
      _ = try await service.cancel(placed.orderID)
      Issue.record("cancelled a fulfilled order")
    } catch let error as OrderError {
      #expect(
        error
          == .illegalTransition(
            order: placed.orderID, status: .fulfilled, action: "cancelled",
            allowed: ["complete", "refund"]))
    }
    let partial = try await service.refund(placed.orderID, amount: "100.00")
    #expect(partial.status == .fulfilled && partial.refunded == "100.00")
    let refunded = try await service.refund(placed.orderID, restock: true)
    #expect(refunded.status == .refunded && refunded.refunded == "357.00")
    #expect(try await shop.available("CHAIR") == 10)
  }

  @Test func cancellingAndExpiringReleaseStock() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    let paid = try await service.place(order("c1", [("LAMP", 2)]))
    _ = try await service.cancel(paid.orderID)
    #expect(try await shop.available("LAMP") == 3)
    let invoice = try await service.place(order("c2", [("LAMP", 3)], method: "bank_transfer"))
    #expect(invoice.status == .pending)
    #expect(try await shop.available("LAMP") == 0)
    let early = try await service.expire(
      olderThan: 3600, now: Clock_test.date("2026-11-25T10:30:00Z"))
    #expect(early.expired.isEmpty)
    let late = try await service.expire(
      olderThan: 3600, now: Clock_test.date("2026-11-25T11:30:00Z"))
    #expect(late.expired == [invoice.orderID])
    #expect(try await shop.available("LAMP") == 3)
    #expect(late.compacted > 0)
    #expect(try await shop.count("reservation") == 0)
  }

  @Test func aLineSplitsAcrossWarehousesOnlyWhenTheMerchantAllows() async throws {
    let shop = try await Shop(stock: [("CHAIR", "BER", 2), ("CHAIR", "VIE", 3), ("LAMP", "BER", 1)])
    let service = try await OrderService.open(store: shop.store)
    await #expect(throws: OrderError.outOfStock(sku: "CHAIR", requested: 4, available: 5)) {
      try await service.place(order("s1", [("CHAIR", 4)]))
    }
    #expect(try await service.splitLines(merchant: "acme", allowed: true))
    let split = try await service.place(order("s2", [("CHAIR", 4)]))
    let lines = try await service.order(split.orderID).lines
    #expect(lines.map(\.warehouseID) == ["BER", "VIE"])
    #expect(lines.map(\.quantity) == [2, 2])
    #expect(lines.map(\.total) == ["238.00", "238.00"])
    #expect(try await shop.available("CHAIR") == 1)
  }

  @Test func concurrentPlacementsNeverOversell() async throws {
    let shop = try await Shop(stock: [("CHAIR", "BER", 50), ("LAMP", "BER", 1)])
    let service = try await OrderService.open(store: shop.store)
    let results = await withTaskGroup(of: Bool.self) { group in
      for index in 0..<400 {
        group.addTask {
          (try? await service.place(order("p\(index)", [("CHAIR", 1)], customer: "C\(index)")))
            != nil
        }
      }
      var placed = 0
      for await ok in group where ok { placed += 1 }
      return placed
    }
    #expect(results == 50)
    #expect(try await shop.available("CHAIR") == 0)
    #expect(try await shop.count("orders") == 50)
  }
}

enum Clock_test {
  static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? Date() }
}
