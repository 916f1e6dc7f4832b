import Access
import Catalog
import Foundation
import Hummingbird
import Importers
import Inventory
import Localization
import MktCore
import Pricing
import Recommendations
import Search

extension MktServer {
  /// Products, search and suggestions.
  func routeCatalog(_ book: RouteBook) {
    book.guarded(.get, "/v1/products", .catalogRead) { [store] request, _, grant in
      let merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      let limit = try request.query("limit", in: 1...1_000, default: 100)
      let after = try request.query("cursor").map(Cursor.product)
      let page = try await CatalogService(store: store).products(
        merchant: merchant, after: after, limit: limit)
      let next = page.count == limit ? page.last.map(Cursor.product) : nil
      return try JSONBody.response(JSONBody.Page(items: page, nextCursor: next))
    }
    book.guarded(.get, "/v1/products/{id}", .catalogRead) { [store] request, context, grant in
      let id = try context.parameters.decoded("id")
      let merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      let product: Product
      do {
        product = try await CatalogService(store: store).product(id: id, merchant: merchant)
      } catch CatalogError.productNotFound {
        throw Problem.notFound("product \(id)")
      }
      return try JSONBody.response(
        try await ProductView.make(product, country: request.query("country"), store: store))
    }
    book.guarded(.get, "/v1/search", .catalogRead) { [store] request, _, grant in
      var search = try SearchQuery.request(from: request)
      search.merchant = try Ownership.merchant(search.merchant, for: grant)
      if let display = request.query("display-country") ?? search.country {
        search.displayLanguages = try await LocaleService(store: store).country(display)
          .translationFallback
      }
      var result = try await SearchService(store: store).search(search)
      let marks = try await RecommendationService(store: store).marks(
        of: result.hits.map(\.id), country: search.country)
      for index in result.hits.indices {
        guard let mark = marks[result.hits[index].id] else { continue }
        result.hits[index].rating = mark.rating
        result.hits[index].reviews = mark.rating == nil ? nil : mark.reviews
        result.hits[index].badges = mark.badges.isEmpty ? nil : mark.badges.map(\.rawValue)
      }
      return try JSONBody.response(result)
    }
    book.guarded(.get, "/v1/suggest", .catalogRead) { [store] request, _, grant in
      // The vocabulary is the whole marketplace's: a merchant's token would learn other
      // merchants' words, so suggestions are for operator tokens (storefronts).
      guard grant.isOperator else {
        throw Problem(
          .forbidden, "suggestions span every merchant: they need an operator token",
          code: .noPermission, hint: "mkt token create --all-merchants --scopes catalog:read")
      }
      guard let prefix = request.query("q") else {
        throw Problem.badRequest("q (the typed prefix) is missing", location: "q")
      }
      let limit = try request.query("limit", in: 1...50, default: 10)
      return try JSONBody.response(
        ["suggestions": try await SearchService(store: store).suggest(prefix, limit: limit)])
    }
  }
}

/// Which merchant's data a token may touch.
enum Ownership {
  /// The merchant a request may read: its token's own, or the one asked for by an operator.
  ///
  /// - Throws: a 404 ``Problem`` when a merchant's token asks for another merchant, the same
  ///   answer as for a merchant that does not exist.
  static func merchant(_ asked: String?, for grant: Grant) throws -> String? {
    guard let own = grant.merchant else { return asked }
    if let asked, asked != own { throw Problem.notFound("merchant \(asked)") }
    return own
  }
}

/// Opaque page cursors: base64url of the last item's key.
enum Cursor {
  static func product(_ product: Product) -> String {
    encode(product.merchantID + "\u{0}" + product.id)
  }

  static func product(_ text: String) throws -> ProductKey {
    let parts = try decode(text).split(separator: "\u{0}", omittingEmptySubsequences: false)
    guard parts.count == 2 else { throw invalid }
    return ProductKey(merchant: String(parts[0]), id: String(parts[1]))
  }

  static func encode(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func decode(_ cursor: String) throws -> String {
    var text = cursor.replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    text += String(repeating: "=", count: (4 - text.count % 4) % 4)
    guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8)
    else { throw invalid }
    return decoded
  }

  static let invalid = Problem.badRequest(
    "cursor is not one this server gave (use next_cursor as is)", location: "cursor")
}
