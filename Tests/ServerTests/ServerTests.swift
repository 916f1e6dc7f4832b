import Access
import Foundation
import Logging
import Server
import Store
import Testing

@Suite(.serialized) struct ServerRouteTests {
  @Test func everyServedRouteIsInTheOpenAPIDocumentAndEveryDocumentedRouteIsServed()
    async throws
  {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let documented = try OpenAPIDocument.operations()
    let served = try await MktServer.open(
      store: shop.store, options: ServerOptions(), logger: .init(label: "t")
    ).servedRoutes()
    #expect(Set(served).subtracting(documented).isEmpty, "served, not documented")
    #expect(Set(documented).subtracting(served).isEmpty, "documented, not served")
    // Each documented route answers on the live server: a /v1 route asks for a token (401),
    // never a route miss (404/405).
    for route in documented {
      let path = route.path.replacingOccurrences(of: "{id}", with: "1")
        .replacingOccurrences(of: "{sku}", with: "A1")
      let answer = try await shop.call(route.method, path)
      if route.path.hasPrefix("/v1/") {
        #expect(answer.status == 401, "\(route)")
        #expect(answer.headers["content-type"] == "application/problem+json")
      } else {
        #expect(answer.status == 200, "\(route)")
      }
    }
    let spec = try await shop.call("GET", "/openapi.json")
    #expect(spec.json["openapi"] as? String == "3.1.0")
  }

  @Test func theCommittedDocumentIsTheOneServed() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let committed = try String(
      contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
    #expect(
      committed == OpenAPIDocument.yaml,
      "docs/openapi.yaml differs from Sources/Server/Resources/openapi.yaml: copy it")
  }

  @Test func problemsHaveOneShapeWithStatusCodeAndLocation() async throws {
    let shop = try await ServedShop.start(maxBody: 4_096)
    defer { Task { try await shop.stop() } }
    let key = ["Idempotency-Key": "k1"]
    let cases: [(String, String, String?, Data?, [String: String], Int, String?)] = [
      ("GET", "/v1/nowhere", nil, nil, [:], 404, nil),
      ("DELETE", "/v1/orders", shop.acme, nil, [:], 405, nil),
      ("GET", "/v1/products", nil, nil, [:], 401, nil),
      ("GET", "/v1/products", "mkt_tok_000000000000_00", nil, [:], 401, nil),
      ("POST", "/v1/orders", shop.readOnly, try shop.order("A1"), key, 403, nil),
      ("POST", "/v1/orders", shop.acme, Data("{\"country\":".utf8), key, 400, "body"),
      ("POST", "/v1/orders", shop.acme, Data("[1]".utf8), key, 400, "body"),
      ("POST", "/v1/orders", shop.acme, try shop.json(["colour": "red"]), key, 400, "colour"),
      (
        "POST", "/v1/orders", shop.acme,
        try shop.json([
          "customer": ["id": "C1", "email": "e@x.de"], "country": "DE",
          "lines": [["sku": "A1", "quantity": "two"]],
        ]), key, 400, "lines[0].quantity"
      ),
      ("POST", "/v1/orders", shop.acme, try shop.order("A1"), [:], 400, "Idempotency-Key"),
      (
        "POST", "/v1/quote", shop.acme,
        Data(
          ("{\"country\":\"DE\",\"items\":[" + String(repeating: "{},", count: 2_000) + "]}").utf8),
        [:], 413, nil
      ),
      ("GET", "/v1/products?limit=0", shop.acme, nil, [:], 400, "limit"),
      ("GET", "/v1/products?cursor=%25%25", shop.acme, nil, [:], 400, "cursor"),
      ("GET", "/v1/search?sort=cheapest", shop.acme, nil, [:], 400, "sort"),
      ("GET", "/v1/suggest?q=ja", shop.acme, nil, [:], 403, nil),
    ]
    for (method, path, token, body, headers, status, location) in cases {
      let answer = try await shop.call(method, path, token: token, body: body, headers: headers)
      #expect(answer.status == status, "\(method) \(path): \(answer.text)")
      #expect(answer.headers["content-type"] == "application/problem+json", "\(path)")
      let problem = answer.json
      #expect(problem["status"] as? Int == status)
      #expect(problem["code"] is Int && problem["detail"] is String && problem["title"] is String)
      #expect(problem["request_id"] as? String == answer.headers["x-request-id"])
      if let location { #expect(problem["location"] as? String == location, "\(path)") }
    }
    let allow = try await shop.call("PUT", "/v1/orders/1", token: shop.acme)
    #expect(allow.status == 405 && allow.headers["allow"] == "GET")
  }

  @Test func theRequestIDIsEchoedAndMetricsCountRoutes() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let answer = try await shop.call(
      "GET", "/v1/products", token: shop.acme, headers: ["X-Request-Id": "trace-42"])
    #expect(answer.headers["x-request-id"] == "trace-42")
    let placed = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A1"),
      headers: ["Idempotency-Key": "m1"])
    #expect(placed.status == 201)
    let metrics = try await shop.call("GET", "/metrics").text
    #expect(
      metrics.contains(
        #"mkt_http_requests_total{route="/v1/products",method="GET",status="200"} 1"#))
    #expect(metrics.contains(#"mkt_orders_total{outcome="placed"} 1"#))
    #expect(metrics.contains("mkt_http_request_duration_seconds_bucket"))
    #expect(try await shop.call("GET", "/readyz").json["status"] as? String == "ready")
  }

  @Test func theSameIdempotencyKeyAnswersTheSameOrder() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let key = ["Idempotency-Key": "order-1"]
    let first = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A2", quantity: 2),
      headers: key)
    let again = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A2", quantity: 2),
      headers: key)
    #expect(first.status == 201 && again.status == 200)
    #expect(first.json["order_id"] as? Int == again.json["order_id"] as? Int)
    #expect(again.json["replayed"] as? Bool == true)
    let other = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A3"), headers: key)
    #expect(other.status == 422)
    // bolt may use the same key for its own order.
    let bolts = try await shop.call(
      "POST", "/v1/orders", token: shop.bolt, body: try shop.order("B1"), headers: key)
    #expect(bolts.status == 201)
    let id = first.json["order_id"] as? Int ?? 0
    let order = try await shop.call("GET", "/v1/orders/\(id)", token: shop.acme)
    #expect(order.json["merchant_id"] as? String == "acme")
    let export = try await shop.call("GET", "/v1/orders?since-cursor=0", token: shop.acme)
    #expect((export.json["items"] as? [Any])?.count == 1)
    #expect(export.json["next_cursor"] as? String == String(id))
    let paid = try await shop.call("POST", "/v1/orders/\(id)/fulfil", token: shop.acme)
    #expect(paid.status == 200 && paid.json["status"] as? String == "fulfilled")
  }

  @Test func productPagesWalkTheCatalogOnceAndSearchAnswersAsTheService() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    var seen: [String] = []
    var cursor: String?
    repeat {
      let path = "/v1/products?limit=3" + (cursor.map { "&cursor=" + $0 } ?? "")
      let page = try await shop.call("GET", path, token: shop.operatorToken).json
      seen += ((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
      cursor = page["next_cursor"] as? String
    } while cursor != nil
    #expect(seen == ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5"])
    let mine = try await shop.call("GET", "/v1/search?q=jacket&per-page=20", token: shop.acme)
    let hits = (mine.json["hits"] as? [[String: Any]]) ?? []
    #expect(hits.count == 5 && hits.allSatisfy { ($0["merchant_id"] as? String) == "acme" })
    let everyone = try await shop.call(
      "GET", "/v1/search?q=jakcet&facets=merchant", token: shop.operatorToken)
    #expect(everyone.json["total"] as? Int == 10)
    let product = try await shop.call("GET", "/v1/products/A1?country=AT", token: shop.acme)
    #expect(product.status == 200)
    #expect((product.json["price"] as? [String: Any]) != nil)
    #expect((product.json["stock"] as? [[String: Any]])?.first?["on_hand"] as? Int == 20)
  }

  @Test func aTokensRateIsLimitedWithRetryAfter() async throws {
    let shop = try await ServedShop.start(rateLimit: 1)
    defer { Task { try await shop.stop() } }
    var statuses: [Int] = []
    var retry: String?
    for _ in 0..<4 {
      let answer = try await shop.call("GET", "/v1/products", token: shop.acme)
      statuses.append(answer.status)
      if answer.status == 429 { retry = answer.headers["retry-after"] }
    }
    #expect(statuses.prefix(2) == [200, 200])
    #expect(statuses.contains(429) && retry == "1")
    // Another token has its own bucket.
    #expect(try await shop.call("GET", "/v1/products", token: shop.bolt).status == 200)
  }

  @Test func aRevokedTokenIsRefusedWithinASecond() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    #expect(try await shop.call("GET", "/v1/products", token: shop.readOnly).status == 200)
    let id = try #require(
      try await AccessService(store: shop.store).list(merchant: "acme").first {
        $0.name == "reader"
      }?.id)
    _ = try await AccessService(store: shop.store).revoke(id)
    // The server keeps a token's grant for a second; past it, the revocation holds.
    try await Task.sleep(for: .milliseconds(1_100))
    let refused = try await shop.call("GET", "/v1/products", token: shop.readOnly)
    #expect(refused.status == 401)
  }

  @Test func aDatabaseLockedPastTheBusyTimeoutAnswers503WithRetryAfter() async throws {
    let shop = try await ServedShop.start(busyTimeout: 0.3)
    defer { Task { try await shop.stop() } }
    let other = try Store.open(path: shop.directory + "/mkt.db")
    let holding = Task {
      try await other.write { _ in Thread.sleep(forTimeInterval: 1.5) }
    }
    try await Task.sleep(for: .milliseconds(200))
    let busy = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A1"),
      headers: ["Idempotency-Key": "busy-1"])
    #expect(busy.status == 503, "\(busy.text)")
    #expect(busy.headers["retry-after"] == "1")
    #expect(busy.json["code"] as? Int == 75)
    try await holding.value
    let later = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A1"),
      headers: ["Idempotency-Key": "busy-1"])
    #expect(later.status == 201)
    let metrics = try await shop.call("GET", "/metrics").text
    #expect(metrics.contains("mkt_database_busy_total 1"))
  }

  @Test func everyRouteAnswersItsCommandsResult() async throws {
    let shop = try await ServedShop.start()
    defer { Task { try await shop.stop() } }
    let ops = shop.operatorToken
    let suggest = try await shop.call("GET", "/v1/suggest?q=jac", token: ops)
    #expect(suggest.status == 200 && suggest.text.contains("jacket"))
    let cart = try shop.json(["country": "AT", "items": [["product": "A2", "quantity": 3]]])
    for path in ["/v1/quote", "/v1/quote/explain"] {
      let quote = try await shop.call("POST", path, token: shop.acme, body: cart)
      #expect(quote.status == 200 && (quote.json["lines"] as? [Any])?.count == 1, "\(quote.text)")
    }
    let sync = try await shop.call(
      "POST", "/v1/stock/sync?mode=delta", token: shop.acme,
      body: Data("sku,warehouse,quantity\nA1,W-acme,5\n".utf8))
    #expect(sync.status == 200, "\(sync.text)")
    let level = try await shop.call("GET", "/v1/stock/A1", token: shop.acme)
    #expect((level.json["levels"] as? [[String: Any]])?.first?["on_hand"] as? Int == 25)
    let events = try await shop.call(
      "POST", "/v1/events", token: shop.acme,
      body: Data(
        (#"{"event_id":"e1","ts":"2026-12-01T10:00:00Z","type":"product_view","user_id":"u1","product_id":"A1"}"#
          + "\n"
          + #"{"event_id":"e2","ts":"2026-12-01T10:01:00Z","type":"product_view","user_id":"u1","product_id":"A2"}"#
          + "\n").utf8))
    #expect(events.status == 200 && events.json["ingested"] as? Int == 2, "\(events.text)")
    let placed = try await shop.call(
      "POST", "/v1/orders", token: shop.acme, body: try shop.order("A3", quantity: 2),
      headers: ["Idempotency-Key": "life-1"])
    let id = placed.json["order_id"] as? Int ?? 0
    let refunded = try await shop.call(
      "POST", "/v1/orders/\(id)/refund", token: shop.acme,
      body: try shop.json(["restock": true]))
    #expect(refunded.json["status"] as? String == "refunded", "\(refunded.text)")
    let again = try await shop.call("POST", "/v1/orders/\(id)/cancel", token: shop.acme)
    #expect(again.status == 422 && again.json["code"] as? Int == 65)
    let sales = try await shop.call("GET", "/v1/reports/sales?by=merchant", token: ops)
    #expect(sales.status == 200 && sales.json["rows"] is [Any])
    let untrained = try await shop.call("GET", "/v1/recommendations/users/u1", token: shop.acme)
    #expect(untrained.status == 422 && untrained.text.contains("recs train"), "\(untrained.text)")
    let dry = try await shop.call(
      "PUT", "/v1/catalog?dry-run=true", token: shop.acme,
      body: Data("id,title\nA1,Renamed\n".utf8))
    #expect(dry.status == 200 && dry.json["dry_run"] as? Bool == true, "\(dry.text)")
    let unchanged = try await shop.call("GET", "/v1/products/A1", token: shop.acme)
    #expect((unchanged.json["product"] as? [String: Any])?["title"] as? String == "Wool jacket A1")
    let approve = try await shop.call("POST", "/v1/orders/\(id)/approve", token: shop.acme)
    #expect(approve.status == 403)
  }
}
