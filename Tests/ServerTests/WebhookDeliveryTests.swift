import Access
import Foundation
import HTTPTypes
import Hummingbird
import Inventory
import Testing
import Webhooks

/// A receiver on 127.0.0.1: records each delivery, checks its signature, and answers 500 to
/// the first `failing` requests (or to all while `down`).
actor Receiver {
  struct Delivery {
    var id: String
    var signed: Bool
    var body: [UInt8]

    /// The event's JSON: `type`, `merchant_id`, `data`.
    var event: [String: Any] {
      (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
  }

  var deliveries: [Delivery] = []
  var failing: Int
  var down = false
  let secret: String

  init(failing: Int, secret: String) {
    self.failing = failing
    self.secret = secret
  }

  func take(id: String, signature: String, body: [UInt8]) -> Bool {
    if down { return false }
    if failing > 0 {
      failing -= 1
      return false
    }
    let stamp = signature.split(separator: ",").first.flatMap { Int64($0.dropFirst(2)) } ?? 0
    let expected = WebhookService.signature(secret: secret, timestamp: stamp, body: body)
    deliveries.append(
      Delivery(
        id: id, signed: Digest.constantTimeEqual(Array(expected.utf8), Array(signature.utf8)),
        body: body))
    return true
  }

  func setDown(_ value: Bool) { down = value }

  static func start(_ receiver: Receiver) async throws -> (Int, Task<Void, any Error>) {
    let router = Router()
    router.post("/hook") { request, context -> Response in
      let body = try await request.body.collect(upTo: 1 << 20)
      let ok = await receiver.take(
        id: request.headers[HTTPField.Name("Mkt-Event-Id") ?? .via] ?? "",
        signature: request.headers[HTTPField.Name("Mkt-Signature") ?? .via] ?? "",
        body: Array(body.readableBytesView))
      return Response(status: ok ? .ok : .internalServerError)
    }
    return try await serveOnFreePort(router, label: "receiver")
  }
}

@Suite(.serialized) struct WebhookDeliveryTests {
  @Test func everyEventArrivesSignedDespiteFailuresAndAKilledDeliverer() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let receiver = Receiver(failing: 3, secret: "whsec_test")
    let (port, task) = try await Receiver.start(receiver)
    defer { task.cancel() }
    let webhooks = WebhookService(store: shop.store)
    _ = try await webhooks.add(
      merchant: "acme", url: "http://127.0.0.1:\(port)/hook", events: ["order.*"],
      secret: "whsec_test")
    _ = try await webhooks.add(
      merchant: "bolt", url: "http://127.0.0.1:\(port)/bolt-never", events: ["order.paid"])
    var placed: [Int] = []
    for index in 1...5 {
      let answer = try await shop.call(
        "POST", "/v1/orders", token: shop.acme, body: try shop.order("A\(index)"),
        headers: ["Idempotency-Key": "w\(index)"])
      placed.append(answer.json["order_id"] as? Int ?? 0)
    }
    _ = try await shop.call("POST", "/v1/orders/\(placed[0])/fulfil", token: shop.acme)
    // bolt's order is not acme's endpoint's business.
    _ = try await shop.call(
      "POST", "/v1/orders", token: shop.bolt, body: try shop.order("B1"),
      headers: ["Idempotency-Key": "b1"])
    var now = Date()
    // A deliverer that claims and is killed before any answer is recorded.
    _ = try await webhooks.queue()
    let lost = try await webhooks.claim(now: now, limit: 2)
    #expect(lost.count == 2)
    var rounds = 0
    while rounds < 20 {
      let round = try await webhooks.deliverRound(now: now)
      rounds += 1
      if round.isIdle, await receiver.deliveries.count >= 6 { break }
      now += 61  // past the claim and the first backoffs
    }
    let deliveries = await receiver.deliveries
    #expect(Set(deliveries.map(\.id)).count == 6)  // 5 placed + 1 fulfilled
    #expect(deliveries.allSatisfy { $0.signed })
    #expect(try await webhooks.failed().isEmpty)
  }

  @Test func stockLowFiresOnceWhenASkuGoesBelowTheThresholdAndAgainAfterItRecovered()
    async throws
  {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let receiver = Receiver(failing: 0, secret: "whsec_low")
    let (port, task) = try await Receiver.start(receiver)
    defer { task.cancel() }
    let webhooks = WebhookService(store: shop.store)
    _ = try await webhooks.add(
      merchant: "acme", url: "http://127.0.0.1:\(port)/hook", events: ["stock.*"],
      secret: "whsec_low")
    let inventory = InventoryService(store: shop.store)
    _ = try await inventory.lowStock(merchant: "acme", below: 10)
    func place(_ sku: String, _ quantity: Int, key: String, token: String? = nil) async throws
      -> Int
    {
      let answer = try await shop.call(
        "POST", "/v1/orders", token: token ?? shop.acme,
        body: try shop.order(sku, quantity: quantity), headers: ["Idempotency-Key": key])
      #expect(answer.status == 201, "\(answer.text)")
      return answer.json["order_id"] as? Int ?? 0
    }
    let first = try await place("A1", 8, key: "l1")  // 20 → 12 available
    _ = try await place("A1", 3, key: "l2")  // → 9: low
    _ = try await place("A1", 1, key: "l3")  // → 8: still low, no second event
    // Shipping what was held changes nothing available: neither a recovery nor an event.
    #expect(
      try await shop.call("POST", "/v1/orders/\(first)/fulfil", token: shop.acme).status == 200)
    _ = try await place("B1", 19, key: "b1", token: shop.bolt)  // bolt's: not acme's endpoint
    let restock = shop.directory + "/restock.csv"
    try Data("sku,warehouse,quantity\nA1,W-acme,20\n".utf8).write(
      to: URL(fileURLWithPath: restock))
    _ = try await inventory.sync(path: restock, merchant: "acme")  // 20 − 4 held = 16: recovered
    _ = try await place("A1", 7, key: "l4")  // → 9: low again
    var now = Date()
    for _ in 0..<5 {
      _ = try await webhooks.deliverRound(now: now)
      now += 61
    }
    let events = await receiver.deliveries.map(\.event)
    #expect(events.count == 2)
    #expect(events.allSatisfy { $0["type"] as? String == "stock.low" })
    #expect(events.allSatisfy { $0["merchant_id"] as? String == "acme" })
    let data = events.compactMap { $0["data"] as? [String: Any] }
    #expect(data.map { $0["sku"] as? String } == ["A1", "A1"])
    #expect(data.map { $0["available"] as? Int } == [9, 9])
    #expect(data.map { $0["threshold"] as? Int } == [10, 10])
    #expect(data.map { $0["warehouse_id"] as? String } == ["W-acme", "W-acme"])
    #expect(await receiver.deliveries.allSatisfy(\.signed))
  }

  @Test func aReceiverDownFor72HoursGetsTheEventOnReplay() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let receiver = Receiver(failing: 0, secret: "s")
    await receiver.setDown(true)
    let (port, task) = try await Receiver.start(receiver)
    defer { task.cancel() }
    let webhooks = WebhookService(store: shop.store)
    _ = try await webhooks.add(
      merchant: "acme", url: "http://127.0.0.1:\(port)/hook", events: ["order.placed"],
      secret: "s")
    _ = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A1"),
      headers: ["Idempotency-Key": "d1"])
    var now = Date()
    var attempts = 0
    while try await webhooks.failed().isEmpty, attempts < 40 {
      _ = try await webhooks.deliverRound(now: now)
      attempts += 1
      now += WebhookService.backoff(after: attempts) + 1
    }
    let failed = try await webhooks.failed()
    #expect(failed.count == 1 && failed[0].lastStatus == 500)
    #expect(attempts > 10)  // 30 s doubling to 6 h over 72 h
    await receiver.setDown(false)
    #expect(try await webhooks.replay(failed[0].event) == 1)
    let round = try await webhooks.deliverRound(now: now)
    #expect(round.delivered == 1)
    #expect(await receiver.deliveries.map(\.id) == [failed[0].event])
    #expect(try await webhooks.failed().isEmpty)
  }

  @Test func badEndpointsAreRefusedWithTheValidChoices() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let webhooks = WebhookService(store: shop.store)
    await #expect(throws: WebhookError.badURL("ftp://x")) {
      try await webhooks.add(merchant: "acme", url: "ftp://x", events: ["order.paid"])
    }
    await #expect(throws: WebhookError.unknownEvent("order.shipped")) {
      try await webhooks.add(merchant: "acme", url: "https://x.example", events: ["order.shipped"])
    }
    await #expect(throws: WebhookError.unknownMerchant("zed")) {
      try await webhooks.add(merchant: "zed", url: "https://x.example", events: ["order.paid"])
    }
  }
}
