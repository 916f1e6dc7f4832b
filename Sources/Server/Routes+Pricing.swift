import Access
import Catalog
import Foundation
import Hummingbird
import MktCore
import Pricing

extension MktServer {
  /// Pricing rules and translations as `mkt push` sends them: loads, removals, hashes.
  func routePricing(_ book: RouteBook) {
    book.guarded(.put, "/v1/pricing/rules", .pricingWrite) {
      [pricing, snapshots, orders, options] request, _, grant in
      let bytes = try await JSONBody.bytes(request, limit: options.maxUpload)
      let summary = try await pricing.load(
        String(decoding: bytes, as: UTF8.self), file: "request body",
        dryRun: try request.flag("dry-run"), owner: grant.merchant)
      snapshots.invalidate()
      orders.invalidate()
      return try JSONBody.response(summary)
    }
    book.guarded(.delete, "/v1/pricing/rules/{id}", .pricingWrite) {
      [pricing, snapshots, orders] _, context, grant in
      let id = try context.parameters.decoded("id")
      do {
        try await pricing.remove(id, owner: grant.merchant)
      } catch PricingError.unknownRule {
        throw Problem.notFound("pricing rule \(id)")
      }
      snapshots.invalidate()
      orders.invalidate()
      return try JSONBody.response(["removed": id])
    }
    book.guarded(.post, "/v1/pricing/rules/hashes", .pricingRead) {
      [pricing, options] request, _, grant in
      let object = try JSONBody.object(
        try await JSONBody.bytes(request, limit: options.maxUpload),
        shape: .object(["ids": .value]))
      guard let ids = object["ids"] as? [String], ids.count <= 100_000 else {
        throw Problem.badRequest(
          "ids must be a list of at most 100,000 rule ids", location: "ids")
      }
      let hashes = try await pricing.ruleHashes(ids: ids, owner: grant.merchant)
      return try JSONBody.response(["hashes": hashes.mapValues(String.init)])
    }
    book.guarded(.put, "/v1/catalog/translations", .catalogWrite) {
      [store, options] request, _, grant in
      guard let merchant = try Ownership.merchant(request.query("merchant"), for: grant) else {
        throw Problem.badRequest(
          "merchant is missing (an operator token names it)", location: "merchant")
      }
      var contract = ImportOptions()
      contract.dryRun = try request.flag("dry-run")
      contract.maxErrors = try request.query("max-errors", in: 0...Int(Int32.max), default: 0)
      let summary = try await CatalogService(store: store).importTranslations(
        bytes: Array(try await JSONBody.bytes(request, limit: options.maxUpload)),
        source: "request body", merchant: merchant, options: contract,
        confined: grant.merchant != nil)
      return try JSONBody.response(summary)
    }
  }
}
