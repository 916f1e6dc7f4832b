import Foundation
import Testing

/// Merchant acme's token against every route, with bolt's ids and with ids that exist nowhere:
/// both must answer alike (status, code), and bolt's data must be untouched.
@Suite(.serialized) struct OwnershipTests {
  struct Probe: CustomStringConvertible {
    var method: String
    var foreign: String
    var missing: String
    var foreignBody: Data?
    var missingBody: Data?
    var headers: [String: String] = [:]

    var description: String { method + " " + foreign }
  }

  @Test func aMerchantsTokenCannotReadListInferOrWriteAnotherMerchantsData() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let placed = try await shop.call(
      "POST", "/v1/orders", token: shop.bolt, body: try shop.order("B1", quantity: 2),
      headers: ["Idempotency-Key": "bolt-1"])
    #expect(placed.status == 201)
    let order = placed.json["order_id"] as? Int ?? 0
    let missingOrder = 999_999
    func quote(_ item: [String: Any]) throws -> Data {
      try shop.json(["country": "DE", "items": [item]])
    }
    func events(_ merchant: String) -> Data {
      Data(
        (#"{"event_id":"e1","ts":"2026-12-01T10:00:00Z","type":"view","user_id":"u1","#
          + #""product_id":"B1","merchant_id":"\#(merchant)"}"# + "\n").utf8)
    }
    var probes: [Probe] = [
      Probe(
        method: "GET", foreign: "/v1/products?merchant=bolt",
        missing: "/v1/products?merchant=nobody"),
      Probe(method: "GET", foreign: "/v1/products/B1", missing: "/v1/products/ZZZ"),
      Probe(
        method: "GET", foreign: "/v1/products/B1?merchant=bolt",
        missing: "/v1/products/B1?merchant=nobody"),
      Probe(
        method: "GET", foreign: "/v1/search?q=jacket&merchant=bolt",
        missing: "/v1/search?q=jacket&merchant=nobody"),
      Probe(
        method: "POST", foreign: "/v1/quote", missing: "/v1/quote",
        foreignBody: try quote(["product": "B1"]), missingBody: try quote(["product": "ZZZ"])),
      Probe(
        method: "POST", foreign: "/v1/quote/explain", missing: "/v1/quote/explain",
        foreignBody: try quote(["product": "B1", "merchant": "bolt"]),
        missingBody: try quote(["product": "B1", "merchant": "nobody"])),
      Probe(method: "GET", foreign: "/v1/stock/B1", missing: "/v1/stock/ZZZ"),
      Probe(
        method: "PUT", foreign: "/v1/catalog?merchant=bolt", missing: "/v1/catalog?merchant=nobody",
        foreignBody: Data("id,title\nB1,Mine now\n".utf8),
        missingBody: Data("id,title\nB1,Mine now\n".utf8)),
      Probe(
        method: "POST", foreign: "/v1/products/hashes", missing: "/v1/products/hashes",
        foreignBody: try shop.json(["merchant": "bolt", "ids": ["B1"]]),
        missingBody: try shop.json(["merchant": "nobody", "ids": ["B1"]])),
      Probe(
        method: "GET", foreign: "/v1/stock/B1?merchant=bolt",
        missing: "/v1/stock/B1?merchant=nobody"),
      Probe(
        method: "POST", foreign: "/v1/stock/sync?merchant=bolt",
        missing: "/v1/stock/sync?merchant=nobody",
        foreignBody: Data("sku,warehouse,quantity\nB1,W-bolt,0\n".utf8),
        missingBody: Data("sku,warehouse,quantity\nB1,W-bolt,0\n".utf8)),
      Probe(
        method: "POST", foreign: "/v1/stock/sync", missing: "/v1/stock/sync",
        foreignBody: Data("sku,warehouse,quantity,merchant_id\nB1,W-bolt,0,bolt\n".utf8),
        missingBody: Data("sku,warehouse,quantity,merchant_id\nB1,W-bolt,0,nobody\n".utf8)),
      Probe(
        method: "POST", foreign: "/v1/events", missing: "/v1/events",
        foreignBody: events("bolt"), missingBody: events("nobody")),
      Probe(
        method: "POST", foreign: "/v1/orders", missing: "/v1/orders",
        foreignBody: try shop.order("B1", merchant: "bolt"),
        missingBody: try shop.order("B1", merchant: "nobody"),
        headers: ["Idempotency-Key": "probe-1"]),
      Probe(
        method: "POST", foreign: "/v1/orders", missing: "/v1/orders",
        foreignBody: try shop.order("B1"), missingBody: try shop.order("ZZZ"),
        headers: ["Idempotency-Key": "probe-2"]),
      Probe(
        method: "GET", foreign: "/v1/orders?merchant=bolt", missing: "/v1/orders?merchant=nobody"),
      Probe(method: "GET", foreign: "/v1/orders/\(order)", missing: "/v1/orders/\(missingOrder)"),
    ]
    probes += [
      Probe(method: "GET", foreign: "/v1/products/B1/similar", missing: "/v1/products/ZZZ/similar"),
      Probe(
        method: "GET", foreign: "/v1/recommendations/users/u1?merchant=bolt",
        missing: "/v1/recommendations/users/u1?merchant=nobody"),
      Probe(
        method: "GET", foreign: "/v1/reports/sales?merchant=bolt",
        missing: "/v1/reports/sales?merchant=nobody"),
    ]
    for action in ["pay", "cancel", "fulfil", "complete", "refund", "approve", "reject"] {
      probes.append(
        Probe(
          method: "POST", foreign: "/v1/orders/\(order)/\(action)",
          missing: "/v1/orders/\(missingOrder)/\(action)"))
    }
    for probe in probes {
      let foreign = try await shop.call(
        probe.method, probe.foreign, token: shop.acme, body: probe.foreignBody,
        headers: probe.headers)
      let missing = try await shop.call(
        probe.method, probe.missing, token: shop.acme, body: probe.missingBody,
        headers: probe.headers)
      #expect((400...499).contains(foreign.status), "\(probe): \(foreign.text)")
      #expect(foreign.status == missing.status, "\(probe): \(foreign.text) / \(missing.text)")
      #expect(foreign.json["code"] as? Int == missing.json["code"] as? Int, "\(probe)")
    }
    // Lists without a merchant show acme's own only.
    let orders = try await shop.call("GET", "/v1/orders", token: shop.acme)
    #expect((orders.json["items"] as? [Any])?.isEmpty == true)
    // bolt's order and stock are as they were.
    let boltsOrder = try await shop.call("GET", "/v1/orders/\(order)", token: shop.bolt)
    #expect(boltsOrder.json["status"] as? String == placed.json["status"] as? String)
    let stock = try await shop.call("GET", "/v1/stock/B1", token: shop.bolt)
    let levels = (stock.json["levels"] as? [[String: Any]]) ?? []
    #expect(levels.first?["on_hand"] as? Int == 20)
    #expect(levels.first?["available"] as? Int == 18)
  }
}
