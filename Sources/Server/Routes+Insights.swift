import Access
import Catalog
import Foundation
import Hummingbird
import MktCore
import Orders
import Recommendations

extension MktServer {
  /// Recommendations, the sales report, and the review decisions.
  func routeInsights(_ book: RouteBook) {
    book.guarded(.get, "/v1/recommendations/users/{id}", .catalogRead) {
      [store] request, context, grant in
      let user = try context.parameters.decoded("id")
      let options = try Self.listOptions(request, grant: grant)
      let list = try await RecommendationService(store: store).forUser(user, options)
      return try JSONBody.response(list)
    }
    book.guarded(.get, "/v1/products/{id}/similar", .catalogRead) {
      [store] request, context, grant in
      let id = try context.parameters.decoded("id")
      let options = try Self.listOptions(request, grant: grant)
      if let merchant = options.merchant {
        do {
          _ = try await CatalogService(store: store).product(id: id, merchant: merchant)
        } catch CatalogError.productNotFound {
          throw Problem.notFound("product \(id)")
        }
      }
      let list = try await RecommendationService(store: store).similar(
        to: id, options, complements: try request.flag("complements"))
      return try JSONBody.response(list)
    }
    book.guarded(.get, "/v1/reports/sales", .reportsRead) { [store] request, _, grant in
      let by = try request.query("by").map { text in
        guard let dimension = SalesReport.Dimension(rawValue: text) else {
          throw Problem.badRequest(
            "by must be day, merchant, country or product (found \(text))", location: "by")
        }
        return dimension
      }
      var report = SalesReport(by: by ?? .day)
      report.merchant = try Ownership.merchant(request.query("merchant"), for: grant)
      report.from = request.query("from")
      report.to = request.query("to")
      if let code = request.query("currency") {
        guard let currency = CurrencyCode(code.uppercased()) else {
          throw Problem.badRequest("unknown currency \(code)", location: "currency")
        }
        report.currency = currency
      }
      let result = try await report.run(store)
      return try JSONBody.response(SalesAnswer(rows: result.rows, warnings: result.warnings))
    }
    for action in ["approve", "reject"] {
      book.guarded(.post, "/v1/orders/{id}/" + action, .ordersWrite) {
        [orders, options] request, context, grant in
        // Review decisions are the marketplace's, not the merchant's.
        guard grant.isOperator else {
          throw Problem(
            .forbidden, "review decisions need an operator token", code: .noPermission,
            hint: "mkt token create --all-merchants --scopes orders:write")
        }
        let id = try await Self.owned(context, grant, orders.current()).id
        let bytes = try await JSONBody.bytes(request, limit: options.maxBody)
        let body = bytes.isEmpty ? [:] : try JSONBody.object(bytes, shape: Self.actionShape)
        let note = body["note"] as? String ?? ""
        let order =
          action == "approve"
          ? try await orders.current().approve(id, note: note)
          : try await orders.current().reject(id, note: note)
        return try JSONBody.response(order)
      }
    }
  }

  /// A recommendation list's options from the query; a merchant's token sees its own products.
  static func listOptions(_ request: Request, grant: Grant) throws -> ListOptions {
    ListOptions(
      limit: try request.query("limit", in: 1...100, default: 10),
      country: request.query("country"),
      merchant: try Ownership.merchant(request.query("merchant"), for: grant))
  }
}

/// `GET /v1/reports/sales`: the report's rows and its warnings (stale exchange rates).
struct SalesAnswer: Encodable {
  var rows: [SalesReport.Row]
  var warnings: [String]
}
