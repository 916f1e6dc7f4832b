import Analytics
import Catalog
import Foundation
import GRDB
import Inventory
import MktCore
import Store

/// A mark shown beside a product, each with its rule.
public enum Badge: String, Sendable, Codable, CaseIterable {
  /// A sale price below the regular price is in force now.
  case sale
  /// Available, but fewer units where the shopper is than the merchant's low-stock threshold
  /// (`mkt inventory low-stock`; ``BadgeRules/lowStock`` where none is set).
  case lowStock = "low-stock"
  /// In the top tenth of its category by purchases over the last 30 days of events (computed
  /// by `mkt recs train`).
  case bestseller
  /// First stored by the catalog within the last ``BadgeRules/newDays`` days.
  case new
  /// A rating score of at least ``BadgeRules/topRatedScore`` from at least
  /// ``BadgeRules/topRatedReviews`` reviews.
  case topRated = "top-rated"
}

/// The thresholds of the badges.
public enum BadgeRules {
  /// The low-stock threshold of a merchant that sets none.
  public static let lowStock = InventoryService.defaultLowStock
  public static let newDays = 14
  public static let topRatedScore = 4.5
  public static let topRatedReviews = 5
}

/// A product's rating and badges, as lists show them.
public struct ProductMarks: Sendable, Equatable, Encodable {
  public var rating: Double?
  public var reviews: Int
  public var badges: [Badge]
}

extension RecommendationService {
  /// The rating and badges of `products`, by product id, in the warehouses serving `country`.
  ///
  /// `bestselling` are those of them among the stored model's best sellers (none before
  /// `mkt recs train`).
  static func marks(
    of products: [String], country: String?, bestselling: Set<String>, _ db: Database,
    now: Date
  ) throws -> [String: ProductMarks] {
    guard !products.isEmpty else { return [:] }
    let seconds = Int64(now.timeIntervalSince1970)
    let facts = try CatalogService.badgeFacts(of: products, at: seconds, db)
    let ratings = try CatalogService.ratings(of: products, db)
    let stock = try InventoryService.availability(skus: products, country: country, db)
    let newSince = UTCTime.iso(now.addingTimeInterval(-Double(BadgeRules.newDays) * 86_400))
    var result: [String: ProductMarks] = [:]
    for product in products {
      var badges: [Badge] = []
      if facts[product]?.onSale == true { badges.append(.sale) }
      if let level = stock[product], level.available > 0, level.available < level.lowStockBelow {
        badges.append(.lowStock)
      }
      if bestselling.contains(product) { badges.append(.bestseller) }
      if let created = facts[product]?.createdAt, created >= newSince { badges.append(.new) }
      let rating = ratings[product]
      if let rating, rating.score >= BadgeRules.topRatedScore,
        rating.reviews >= BadgeRules.topRatedReviews
      {
        badges.append(.topRated)
      }
      result[product] = ProductMarks(
        rating: rating.map { ($0.average * 100).rounded() / 100 }, reviews: rating?.reviews ?? 0,
        badges: badges)
    }
    return result
  }

  /// The rating and badges of one product.
  public func marks(of product: String, country: String? = nil) async throws -> ProductMarks {
    try await marks(of: [product], country: country)[product]
      ?? ProductMarks(rating: nil, reviews: 0, badges: [])
  }

  /// The ratings and badges of `products`, by product id, in the warehouses serving `country`.
  public func marks(of products: [String], country: String? = nil) async throws
    -> [String: ProductMarks]
  {
    let now = store.clock.now()
    return try await store.read { db in
      // Only the bestsellers of the stored model are read, not its other parts.
      let bestsellers = (try? Model.storedBestsellers(db)) ?? []
      var bestselling = Set<String>()
      if !bestsellers.isEmpty {
        try SQLInList.chunks(products) { marks, arguments in
          for row in try Row.fetchAll(
            db.cachedStatement(
              sql: "SELECT item, product FROM recs_item WHERE product IN (\(marks))"),
            arguments: arguments)
          where bestsellers.contains(row["item"]) {
            bestselling.insert(row["product"])
          }
        }
      }
      return try Self.marks(
        of: products, country: country?.uppercased(), bestselling: bestselling, db, now: now)
    }
  }
}
