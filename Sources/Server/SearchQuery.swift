import Hummingbird
import Importers
import Search

/// `GET /v1/search`'s query parameters, named as `mkt search`'s options.
enum SearchQuery {
  /// The search request `request`'s query asks for.
  ///
  /// - Throws: a 400 ``Problem`` naming the parameter.
  static func request(from request: Request) throws -> SearchRequest {
    var search = SearchRequest(text: request.query("q") ?? "")
    search.merchant = request.query("merchant")
    search.category = request.query("category")
    search.brands = request.queryAll("brand")
    let currency = (request.query("currency") ?? "EUR").uppercased()
    search.currency = currency
    search.priceMin = try minor(request.query("price-min"), "price-min", currency)
    search.priceMax = try minor(request.query("price-max"), "price-max", currency)
    search.inStock = try request.flag("in-stock")
    if let text = request.query("min-rating") {
      guard let rating = Double(text), (0...5).contains(rating) else {
        throw Problem.badRequest(
          "min-rating must be 0 to 5 (found \(text))", location: "min-rating")
      }
      search.minRating = rating
    }
    search.language = request.query("language")?.lowercased()
    search.country = request.query("country")?.uppercased()
    if let facets = request.query("facets") {
      search.facets = try facets.split(separator: ",").map { item in
        let name = item.lowercased()
        guard let facet = SearchRequest.Facet(rawValue: name) else {
          throw Problem.badRequest(
            "unknown facet \(name) (valid: "
              + SearchRequest.Facet.allCases.map(\.rawValue).joined(separator: ", ") + ")",
            location: "facets")
        }
        return facet
      }
    }
    if let sort = request.query("sort") {
      guard let parsed = SearchRequest.Sort(rawValue: sort) else {
        throw Problem.badRequest(
          "unknown sort \(sort) (valid: "
            + SearchRequest.Sort.allCases.map(\.rawValue).joined(separator: ", ") + ")",
          location: "sort")
      }
      search.sort = parsed
    }
    search.page = try request.query("page", in: 1...10_000, default: 1)
    search.perPage = try request.query("per-page", in: 1...100, default: 20)
    search.cursor = request.query("cursor")
    search.highlight = try request.flag("highlight")
    return search
  }

  /// A price bound in minor units of `currency`.
  static func minor(_ text: String?, _ name: String, _ currency: String) throws -> Int64? {
    guard let text else { return nil }
    switch FeedPrice.parse(text + " " + currency) {
    case .success(let price): return price.minorUnits
    case .failure(let problem):
      throw Problem.badRequest("\(name) \(text): \(problem.message)", location: name)
    }
  }
}
