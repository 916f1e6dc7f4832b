import Analytics
import Catalog
import Foundation
import GRDB
import Inventory
import MktCore
import Store

/// One recommended product.
public struct Recommendation: Sendable, Equatable, Encodable {
  public var product: String
  public var category: String
  public var score: Double
  /// What each strategy added to the score (weight × its normalised score).
  public var strategies: [String: Double]
  /// The mean of its reviews (0–5), when it has some.
  public var rating: Double?
  public var reviews: Int = 0
  public var badges: [Badge] = []
}

/// How a list is cut: its length, its diversity, and the stock it needs.
public struct ListOptions: Sendable, Equatable {
  public var limit: Int
  /// At most this many products of one category (0: no cap).
  public var perCategory: Int
  /// The shopper's country: only products sold there (a seller ships there), and the stock
  /// of the warehouses serving it (all warehouses when `nil`).
  public var country: String?
  /// Keeps products whose tracked stock is not available.
  public var includeOutOfStock: Bool
  /// Only products this merchant sells.
  public var merchant: String?

  public init(
    limit: Int = 10, perCategory: Int = RecommendationService.perCategory,
    country: String? = nil, includeOutOfStock: Bool = false, merchant: String? = nil
  ) {
    self.limit = limit
    self.perCategory = perCategory
    self.country = country?.uppercased()
    self.includeOutOfStock = includeOutOfStock
    self.merchant = merchant
  }
}

/// A list of recommendations and what the reader should know about it.
public struct RecommendationList: Sendable, Equatable, Encodable {
  public var items: [Recommendation]
  public var notes: [String]
  /// The A/B variant whose weights made the list, when an experiment was named.
  public var variant: String?
}

extension RecommendationService {
  /// The best products for `user` (their `user_id` in events), at the model's end; with
  /// `experiment`, weighed as the user's variant of that A/B test is (``WeightsVariant``).
  ///
  /// - Throws: ``RecommendationError/notTrained`` before `mkt recs train`;
  ///   ``ExperimentError/unknown(_:)`` for an experiment never created.
  public func forUser(
    _ user: String, _ options: ListOptions = ListOptions(), strategy: Strategy? = nil,
    experiment: String? = nil
  ) async throws -> RecommendationList {
    try await store.read { db in
      let variant = try experiment.map { try Self.variant(of: user, in: $0, db) }
      let weights = try Self.weights(db, variant: variant)
      guard let (model, profile) = try cache.slice(db, user: EventHistory.userKey(user)) else {
        throw RecommendationError.notTrained
      }
      var notes: [String] = []
      if profile == nil {
        notes.append("user \(user) has no events in the model: trending products instead")
      }
      // Room for the products the stock filter leaves out.
      let scored = model.recommend(
        profile, weights: weights,
        selection: Selection(limit: options.limit * 4, perCategory: options.perCategory),
        at: model.end, only: strategy)
      return RecommendationList(
        items: try self.shelf(scored, options, model, db), notes: notes,
        variant: variant?.variant)
    }
  }

  /// Products like `product`: its neighbours by co-visits, then its complements.
  ///
  /// - Throws: ``RecommendationError/unknownProduct(_:nearest:)`` when the model does not know
  ///   the product.
  public func similar(
    to product: String, _ options: ListOptions = ListOptions(), complements: Bool = false
  ) async throws -> RecommendationList {
    try await store.read { db in
      guard let model = try cache.shared(db) else {
        throw RecommendationError.notTrained
      }
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(
            sql: "SELECT similar, complements FROM recs_item WHERE key = ? AND product = ?"),
          arguments: [EventHistory.productKey(product), product])
      else {
        throw RecommendationError.unknownProduct(product, nearest: try Self.nearest(product, db))
      }
      var reader = Unpacker(complements ? row["complements"] : row["similar"])
      let scored = reader.head().map { entry in
        Scored(
          item: entry.item, score: Double(entry.score),
          parts: [complements ? .crossSell : .collaborative: Double(entry.score)])
      }
      return RecommendationList(
        items: try self.shelf(scored, options, model, db), notes: [])
    }
  }

  /// Names the scored items from the stored model; with the names of those among its
  /// bestsellers.
  static func named(_ scored: [Scored], _ model: Model, _ db: Database) throws
    -> (items: [Recommendation], bestselling: Set<String>)
  {
    var names: [Int32: String] = [:]
    try SQLInList.chunks(scored.map(\.item)) { marks, arguments in
      for row in try Row.fetchAll(
        db.cachedStatement(sql: "SELECT item, product FROM recs_item WHERE item IN (\(marks))"),
        arguments: arguments)
      {
        names[row["item"]] = row["product"]
      }
    }
    let items = scored.map { entry in
      let category = Int(model.categoryOf(entry.item))
      return Recommendation(
        product: names[entry.item] ?? "",
        category: model.categories.indices.contains(category)
          ? model.categories[category].name : "",
        score: (entry.score * 10_000).rounded() / 10_000,
        strategies: Dictionary(
          uniqueKeysWithValues: entry.parts.map {
            ($0.key.rawValue, ($0.value * 10_000).rounded() / 10_000)
          }))
    }
    let bestselling = Set(
      scored.filter { model.bestsellers.contains($0.item) }.compactMap { names[$0.item] })
    return (items, bestselling)
  }

  /// The first `options.limit` of the scored items that are in stock (available above 0 in a warehouse
  /// serving the country, or not tracked: no stock rows), sold in the country and by the
  /// merchant asked for, with their ratings and badges.
  ///
  /// A product the catalog lacks (met in events alone) passes the country filter, having no
  /// shipping to judge by, and fails the merchant's.
  func shelf(
    _ scored: [Scored], _ options: ListOptions, _ model: Model, _ db: Database
  ) throws -> [Recommendation] {
    let now = store.clock.now()
    let (items, bestselling) = try Self.named(scored, model, db)
    var shown = items
    if options.merchant != nil || options.country != nil {
      let facts = try CatalogService.badgeFacts(
        of: items.map(\.product), at: Int64(now.timeIntervalSince1970),
        withCountries: options.country != nil, db)
      shown = shown.filter { item in
        let fact = facts[item.product]
        if let merchant = options.merchant, fact?.merchants.contains(merchant) != true {
          return false
        }
        if let country = options.country, let fact, !fact.countries.contains(country) {
          return false
        }
        return true
      }
    }
    if !options.includeOutOfStock {
      let stock = try InventoryService.availability(
        skus: items.map(\.product), country: options.country, db)
      shown = shown.filter { stock[$0.product].map { $0.available > 0 } ?? true }
    }
    shown = Array(shown.prefix(options.limit))
    let marks = try Self.marks(
      of: shown.map(\.product), country: options.country, bestselling: bestselling, db, now: now)
    for index in shown.indices {
      guard let mark = marks[shown[index].product] else { continue }
      shown[index].rating = mark.rating
      shown[index].reviews = mark.reviews
      shown[index].badges = mark.badges
    }
    return shown
  }

  /// Up to three known product ids next to `product` in sort order.
  static func nearest(_ product: String, _ db: Database) throws -> [String] {
    let after = try String.fetchAll(
      db, sql: "SELECT product FROM recs_item WHERE product >= ? ORDER BY product LIMIT 2",
      arguments: [product])
    let before = try String.fetchAll(
      db, sql: "SELECT product FROM recs_item WHERE product < ? ORDER BY product DESC LIMIT 1",
      arguments: [product])
    return before + after
  }
}

extension RecommendationService {
  /// Complements of a basket: what shoppers carted or viewed after carting or buying its
  /// products, summed over them, the basket's own products left out.
  ///
  /// - Throws: ``RecommendationError/unknownProduct(_:nearest:)`` for a product the model does
  ///   not know.
  public func cart(_ products: [String], _ options: ListOptions = ListOptions()) async throws
    -> RecommendationList
  {
    try await store.read { db in
      guard let model = try cache.shared(db) else {
        throw RecommendationError.notTrained
      }
      var scores: [Int32: Double] = [:]
      var basket = Set<Int32>()
      for product in products {
        guard
          let row = try Row.fetchOne(
            db, sql: "SELECT item, complements FROM recs_item WHERE key = ? AND product = ?",
            arguments: [EventHistory.productKey(product), product])
        else {
          throw RecommendationError.unknownProduct(product, nearest: try Self.nearest(product, db))
        }
        basket.insert(row["item"])
        var reader = Unpacker(row["complements"])
        for (item, score) in reader.head() { scores[item, default: 0] += Double(score) }
      }
      let scored = scores.filter { !basket.contains($0.key) }
        .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(options.limit * 4)
        .map { Scored(item: $0.key, score: $0.value, parts: [.crossSell: $0.value]) }
      return RecommendationList(
        items: try self.shelf(Array(scored), options, model, db),
        notes: [])
    }
  }

  /// The products rising most against their own earlier rate, optionally in the categories whose
  /// path starts with `category`.
  public func trending(category: String? = nil, _ options: ListOptions = ListOptions())
    async throws -> RecommendationList
  {
    try await store.read { db in
      guard let model = try cache.shared(db) else {
        throw RecommendationError.notTrained
      }
      let scored = model.trending.filter { entry in
        guard let category else { return true }
        let kind = Int(model.categoryOf(entry.item))
        return model.categories.indices.contains(kind)
          && model.categories[kind].name.lowercased().hasPrefix(category.lowercased())
      }.prefix(options.limit * 4).map {
        Scored(item: $0.item, score: Double($0.score), parts: [.trending: Double($0.score)])
      }
      var notes: [String] = []
      if scored.isEmpty, let category {
        notes.append("no trending product in a category starting with '\(category)'")
      }
      return RecommendationList(
        items: try self.shelf(Array(scored), options, model, db),
        notes: notes)
    }
  }
}
