import Access
import Foundation
import Hummingbird
import MktCore
import Orders

extension MktServer {
  /// Placement, reads, export and the lifecycle.
  func routeOrders(_ book: RouteBook) {
    book.guarded(.post, "/v1/orders", .ordersWrite) {
      [orders, options, metrics] request, _, grant in
      guard let key = request.headers[.idempotencyKey], !key.isEmpty, key.utf8.count <= 200
      else {
        throw Problem.badRequest(
          "the Idempotency-Key header is missing (at most 200 bytes): the same key places "
            + "an order once", location: "Idempotency-Key")
      }
      let bytes = try await JSONBody.bytes(request, limit: options.maxBody)
      let object = try JSONBody.object(bytes, shape: Self.orderShape)
      let merchant = try Ownership.merchant(object["merchant"] as? String, for: grant)
      guard let merchant else {
        throw Problem.badRequest(
          "merchant is missing (an operator token names it)", location: "merchant")
      }
      // Decoded from the bytes as sent; the header's key and the token's merchant win.
      let order = try JSONBody.decode(
        OrderRequest.self, from: bytes,
        userInfo: [
          OrderRequest.given: OrderRequest.Given(idempotencyKey: key, merchant: merchant)
        ])
      let placement: Placement
      do {
        placement = try await orders.current().place(order)
      } catch OrderError.fraudRefused(let score, let reasons) {
        metrics.order("refused")
        throw OrderError.fraudRefused(score: score, reasons: reasons)
      }
      metrics.order(
        placement.replayed ? "replayed" : placement.status == .review ? "review" : "placed")
      return try JSONBody.response(
        placement, status: placement.replayed ? .ok : .created,
        headers: [.location: "/v1/orders/\(placement.orderID)"])
    }
    book.guarded(.get, "/v1/orders", .ordersRead) { [orders] request, _, grant in
      let merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      let limit = try request.query("limit", in: 1...1_000, default: 100)
      let after = try request.query("since-cursor", in: 0...Int(Int64.max / 2), default: 0)
      let status = try request.query("status").map { text in
        guard let status = OrderStatus(rawValue: text) else {
          throw Problem.badRequest("unknown status \(text)", location: "status")
        }
        return status
      }
      let page = try await orders.current().orders(
        after: Int64(after), merchant: merchant, status: status, limit: limit)
      let next = page.last.map { String($0.id) } ?? (after > 0 ? String(after) : nil)
      // At the end the cursor stays where it is: the next export starts from it.
      return try JSONBody.response(JSONBody.Page(items: page, nextCursor: next))
    }
    book.guarded(.get, "/v1/orders/{id}", .ordersRead) { [orders] _, context, grant in
      try JSONBody.response(try await Self.owned(context, grant, orders.current()))
    }
    for action in ["pay", "cancel", "fulfil", "complete", "refund"] {
      book.guarded(.post, "/v1/orders/{id}/" + action, .ordersWrite) {
        [orders, options] request, context, grant in
        let id = try await Self.owned(context, grant, orders.current()).id
        let bytes = try await JSONBody.bytes(request, limit: options.maxBody)
        let body =
          bytes.isEmpty ? [:] : try JSONBody.object(bytes, shape: Self.actionShape)
        let order: Order
        let orders = try await orders.current()
        switch action {
        case "pay": order = try await orders.pay(id, reference: body["reference"] as? String)
        case "cancel": order = try await orders.cancel(id, note: body["note"] as? String ?? "")
        case "fulfil": order = try await orders.fulfil(id)
        case "complete": order = try await orders.complete(id)
        default:
          order = try await orders.refund(
            id, amount: body["amount"] as? String, restock: body["restock"] as? Bool ?? false)
        }
        return try JSONBody.response(order)
      }
    }
  }

  /// The order in the path if the token may see it; another merchant's is a 404 like a
  /// missing one, after the same read.
  static func owned(_ context: ServerContext, _ grant: Grant, _ orders: OrderService)
    async throws -> Order
  {
    let text = try context.parameters.decoded("id")
    guard let id = Int64(text), id > 0 else { throw Problem.notFound("order \(text)") }
    do {
      let order = try await orders.order(id)
      guard grant.owns(order.merchantID) else { throw Problem.notFound("order \(text)") }
      return order
    } catch OrderError.notFound {
      throw Problem.notFound("order \(text)")
    }
  }

  /// An order's fields, as `mkt orders place` reads them.
  static var orderShape: Shape {
    Shape.object([
      "merchant": .value,
      "customer": .object(
        ["id": .value, "email": .value, "group": .value, "created_at": .value]),
      "country": .value, "billing_country": .value, "ip": .value, "ip_country": .value,
      "currency": .value, "lines": .array(.object(["sku": .value, "quantity": .value])),
      "codes": .value, "promo_code": .value, "shipping": .value,
      "payment": .object(["method": .value, "token": .value]), "placed_at": .value,
      "device_id": .value, "card_fingerprint": .value, "user_agent": .value, "channel": .value,
      "idempotency_key": .value,
    ])
  }

  /// A lifecycle action's optional body.
  static var actionShape: Shape {
    Shape.object([
      "reference": .value, "note": .value, "amount": .value, "restock": .value,
    ])
  }
}
