import Access
import Analytics
import Foundation
import Hummingbird
import Inventory
import MktCore
import Pricing
import Store

extension MktServer {
  /// Quotes, stock and events.
  func routeCommerce(_ book: RouteBook) {
    for path in ["/v1/quote", "/v1/quote/explain"] {
      book.guarded(.post, path, .pricingRead) {
        [pricing, snapshots, options, store] request, _, grant in
        let bytes = try await JSONBody.bytes(request, limit: options.maxBody)
        _ = try JSONBody.object(bytes, shape: Self.cartShape)
        var cart = try JSONBody.decode(QuoteCart.self, from: bytes)
        for index in cart.items.indices {
          // A merchant's token quotes its own products: another's id is an unknown product.
          if let own = grant.merchant {
            if let asked = cart.items[index].merchant, asked != own {
              throw Problem.notFound("product \(cart.items[index].product)")
            }
            cart.items[index].merchant = own
          }
        }
        let quote = try await pricing.quote(
          cart.request(now: store.clock.now()), with: try await snapshots.current())
        return try JSONBody.response(quote)
      }
    }
    book.guarded(.get, "/v1/stock/{sku}", .stockRead) { [store] request, context, grant in
      let sku = try context.parameters.decoded("sku")
      let merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      let levels = try await InventoryService(store: store).stock(sku: sku, merchant: merchant)
      guard !levels.isEmpty else { throw Problem.notFound("stock for \(sku)") }
      return try JSONBody.response(["levels": levels])
    }
    book.guarded(.post, "/v1/stock/sync", .stockWrite) {
      [store, options, metrics] request, _, grant in
      let merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      let bytes = try await JSONBody.bytes(request, limit: options.maxUpload)
      var contract = ImportOptions()
      contract.dryRun = try request.flag("dry-run")
      contract.maxErrors = try request.query("max-errors", in: 0...Int(Int32.max), default: 0)
      let mode =
        try request.query("mode").map { text in
          guard let mode = StockMode(rawValue: text) else {
            throw Problem.badRequest("mode must be set or delta (found \(text))", location: "mode")
          }
          return mode
        } ?? .set
      do {
        let summary = try await InventoryService(store: store).sync(
          path: "request body", merchant: merchant, mode: mode,
          syncID: request.query("sync-id"), options: contract, bytes: bytes)
        metrics.upload("stock", outcome: "applied")
        return try JSONBody.response(summary)
      } catch {
        metrics.upload("stock", outcome: "refused")
        throw error
      }
    }
    book.guarded(.post, "/v1/events", .eventsWrite) { [store, options] request, _, grant in
      let bytes = try await JSONBody.bytes(request, limit: options.maxUpload)
      var ingest = AnalyticsService.IngestOptions()
      ingest.bytes = try grant.merchant.map { try Self.events(bytes, of: $0) } ?? bytes
      ingest.dryRun = try request.flag("dry-run")
      ingest.maxErrors = try request.query("max-errors", in: 0...Int(Int32.max), default: 0)
      let summary = try await AnalyticsService(store: store).ingest(
        path: "request body", options: ingest)
      return try JSONBody.response(summary)
    }
  }

  /// A cart's fields.
  static var cartShape: Shape {
    Shape.object(
      Dictionary(
        uniqueKeysWithValues: QuoteCart.fields.map { field in
          (
            field,
            field == "items"
              ? Shape.array(
                .object(Dictionary(uniqueKeysWithValues: QuoteCart.itemFields.map { ($0, .value) }))
              )
              : .value
          )
        }))
  }

  /// A merchant's batch of events (NDJSON), each line stamped with the merchant (a line that
  /// names none is rewritten with it; its column numbers in errors are then the rewritten
  /// line's).
  ///
  /// - Throws: a 404 ``Problem`` for a line naming another merchant (as for a missing one).
  static func events(_ bytes: [UInt8], of merchant: String) throws -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 8)
    // Blank lines are kept, so that line numbers in the ingest's errors are the client's.
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if index == lines.count - 1, line.isEmpty { break }
      guard
        var event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
      else {
        output += line  // the ingest reports the bad line with its number
        output.append(UInt8(ascii: "\n"))
        continue
      }
      if let named = event["merchant_id"] as? String {
        guard named == merchant else {
          throw Problem.notFound("merchant \(named) (line \(index + 1))")
        }
        output += line  // as sent, so the ingest's columns point into the client's bytes
        output.append(UInt8(ascii: "\n"))
        continue
      }
      event["merchant_id"] = merchant
      output += try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])
      output.append(UInt8(ascii: "\n"))
    }
    return output
  }
}
