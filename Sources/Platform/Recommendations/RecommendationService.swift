import Analytics
import Foundation
import GRDB
public import MktCore
public import Store

/// Recommendations over the stored events and catalog: `mkt recs …`.
public struct RecommendationService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// The default cap on products of one category in a list.
  public static let perCategory = 3

  /// Trains on all but the last `holdoutDays` days of events and scores every strategy, the
  /// ensemble and popularity on the purchases of those days.
  ///
  /// - Throws: ``RecommendationError/noEvents`` when nothing is stored to learn from.
  public func evaluate(holdoutDays: Int = 7, k: Int = 10, perCategory: Int = Self.perCategory)
    async throws -> Evaluation
  {
    try await store.read { db in
      let weights = try Self.weights(db)
      var events: [ShopperEvent] = []
      if let days = try EventHistory.days(db) {
        try EventHistory.each(db, days: days) { events.append($0) }
      }
      let evaluator = Evaluator(holdoutDays: holdoutDays, k: k, perCategory: perCategory)
      guard
        let evaluation = try evaluator.run(
          events, catalogue: { try Catalogue.load(db, items: $0) }, weights: weights,
          settings: TrainingSettings()),
        evaluation.testUsers > 0
      else { throw RecommendationError.noEvents(holdoutDays: holdoutDays) }
      return evaluation
    }
  }
}

extension RecommendationService {
  /// The weights in force: those set or tuned last, else ``Weights/standard``.
  public func weights() async throws -> Weights {
    try await store.read { db in try Self.weights(db) }
  }

  static func weights(_ db: Database) throws -> Weights {
    try Data.fetchOne(db, sql: "SELECT value FROM recs_model WHERE name = 'weights'").flatMap {
      try? JSONDecoder().decode(Weights.self, from: $0)
    } ?? .standard
  }

  /// Stores `weights` (normalised to sum to 1) for the ensemble; kept across trainings.
  ///
  /// - Throws: ``RecommendationError/invalidWeights(_:)`` for a negative weight or a sum of 0.
  @discardableResult
  public func setWeights(_ weights: Weights) async throws -> Weights {
    if let negative = weights.values.first(where: { $0.value < 0 || !$0.value.isFinite }) {
      throw RecommendationError.invalidWeights(
        "\(negative.key.rawValue) is \(negative.value): weights are 0 or more")
    }
    guard let normalised = weights.normalised() else {
      throw RecommendationError.invalidWeights("the weights sum to 0")
    }
    try await store.write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO recs_model (name, value) VALUES ('weights', ?)",
        arguments: [try JSONEncoder().encode(normalised)])
    }
    return normalised
  }

  /// Forgets the weights set or tuned: the design's apply again.
  public func resetWeights() async throws -> Weights {
    try await store.write { db in
      try db.execute(sql: "DELETE FROM recs_model WHERE name = 'weights'")
    }
    return .standard
  }

  /// Fits the ensemble's weights on the `holdoutDays` before the last `holdoutDays` (models
  /// trained before them) and measures the gain on the last `holdoutDays`, which the fit never
  /// saw; stores the fitted weights unless `dryRun`.
  ///
  /// - Throws: ``RecommendationError/noEvents(holdoutDays:)`` when a window has no test user.
  public func tune(holdoutDays: Int = 7, perCategory: Int = Self.perCategory, dryRun: Bool = false)
    async throws -> Tuning
  {
    let tuning = try await store.read { db in
      let before = try Self.weights(db)
      var events: [ShopperEvent] = []
      if let days = try EventHistory.days(db) {
        try EventHistory.each(db, days: days) { events.append($0) }
      }
      let end = events.map(\.ts).max() ?? 0
      let evaluator = Evaluator(holdoutDays: holdoutDays, perCategory: perCategory)
      let catalogue: ([Int64]) throws -> Catalogue = { try Catalogue.load(db, items: $0) }
      let cut = end - Int64(holdoutDays) * 86_400
      guard
        let validation = try evaluator.split(
          events.filter { $0.ts < cut }, catalogue: catalogue, settings: TrainingSettings()),
        !validation.users.isEmpty,
        let test = try evaluator.split(events, catalogue: catalogue, settings: TrainingSettings()),
        !test.users.isEmpty
      else { throw RecommendationError.noEvents(holdoutDays: holdoutDays) }
      let after = evaluator.fit(validation, from: before)
      return Tuning(
        before: before, after: after,
        validationBefore: evaluator.row("", validation, weights: before).hitRate,
        validationAfter: evaluator.row("", validation, weights: after).hitRate,
        testBefore: evaluator.row("", test, weights: before).hitRate,
        testAfter: evaluator.row("", test, weights: after).hitRate)
    }
    if !dryRun { try await setWeights(tuning.after) }
    return tuning
  }
}

/// What recommendations refuse.
public enum RecommendationError: MktError, Equatable {
  case noEvents(holdoutDays: Int)
  case nothingToLearn
  case notTrained
  case unknownProduct(String, nearest: [String])
  case invalidWeights(String)

  public var exitStatus: SysExit {
    switch self {
    case .noEvents, .nothingToLearn, .notTrained, .invalidWeights: .dataError
    case .unknownProduct: .noInput
    }
  }

  public var description: String {
    switch self {
    case .noEvents(let days):
      "no shopper bought in the last \(days) days after buying or viewing before them: "
        + "there is nothing to evaluate"
    case .nothingToLearn:
      "no product views, carts or purchases are stored: there is nothing to learn from"
    case .notTrained: "no recommendation model is stored"
    case .invalidWeights(let why): "these weights cannot be used: \(why)"
    case .unknownProduct(let product, _):
      "product '\(product)' is not in the recommendation model (no shopper met it)"
    }
  }

  public var hint: String? {
    switch self {
    case .noEvents, .nothingToLearn:
      "ingest product views, carts and purchases first: mkt events ingest FILE"
    case .notTrained: "train one first: mkt recs train"
    case .unknownProduct(_, let nearest):
      nearest.isEmpty ? nil : "nearest ids: " + nearest.joined(separator: ", ")
    case .invalidWeights: nil
    }
  }
}

/// One recommended product.
public struct Recommendation: Sendable, Equatable, Encodable {
  public var product: String
  public var category: String
  public var score: Double
  /// What each strategy added to the score (weight × its normalised score).
  public var strategies: [String: Double]
}

/// A list of recommendations and what the reader should know about it.
public struct RecommendationList: Sendable, Equatable, Encodable {
  public var items: [Recommendation]
  public var notes: [String]
}

extension RecommendationService {
  /// Learns the model from every stored event and the catalog and replaces the stored one in
  /// one transaction.
  ///
  /// - Throws: ``RecommendationError/noEvents(holdoutDays:)`` when no product event is stored.
  public func train() async throws -> ModelInfo {
    try await store.write(.normal) { db in
      let data = try Interactions.load(db)
      guard !data.item.isEmpty else { throw RecommendationError.nothingToLearn }
      let catalogue = try Catalogue.load(db, items: data.items)
      let model = Model.train(data, catalogue, TrainingSettings())
      var consumables: [String: Double] = [:]
      for (index, days) in model.rebuyDays.enumerated() where days > 0 {
        consumables[model.categoryNames[index]] = (Double(days) * 10).rounded() / 10
      }
      let info = ModelInfo(
        trainedAt: ISO8601DateFormatter().string(from: Date()),
        until: ISO8601DateFormatter().string(
          from: Date(timeIntervalSince1970: TimeInterval(data.end))),
        events: data.item.count, users: data.users.count, products: data.items.count,
        categories: catalogue.categories.count, consumables: consumables)
      try model.save(db, info: info, names: catalogue.names, keys: data.items)
      return info
    }
  }

  /// What the stored model was trained on, or `nil` before the first training.
  public func info() async throws -> ModelInfo? {
    try await store.read { db in
      try Data.fetchOne(db, sql: "SELECT value FROM recs_model WHERE name = 'meta'").flatMap {
        try? JSONDecoder().decode(ModelInfo.self, from: $0)
      }
    }
  }

  /// The best products for `user` (their `user_id` in events), at the model's end.
  ///
  /// - Throws: ``RecommendationError/notTrained`` before `mkt recs train`.
  public func forUser(
    _ user: String, limit: Int = 10, perCategory: Int = Self.perCategory,
    strategy: Strategy? = nil
  ) async throws -> RecommendationList {
    try await store.read { db in
      let weights = try Self.weights(db)
      guard let (model, profile) = try Model.slice(db, user: EventHistory.userKey(user)) else {
        throw RecommendationError.notTrained
      }
      var notes: [String] = []
      if profile == nil {
        notes.append("user \(user) has no events in the model: trending products instead")
      }
      let scored = model.recommend(
        profile, weights: weights, selection: Selection(limit: limit, perCategory: perCategory),
        at: model.end, only: strategy)
      return RecommendationList(items: try Self.named(scored, model, db), notes: notes)
    }
  }

  /// Products like `product`: its neighbours by co-visits, then its complements.
  ///
  /// - Throws: ``RecommendationError/unknownProduct(_:nearest:)`` when the model does not know
  ///   the product.
  public func similar(to product: String, limit: Int = 10, complements: Bool = false)
    async throws -> RecommendationList
  {
    try await store.read { db in
      guard let (model, _) = try Model.slice(db, user: nil) else {
        throw RecommendationError.notTrained
      }
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT similar, complements FROM recs_item WHERE key = ? AND product = ?",
          arguments: [EventHistory.productKey(product), product])
      else {
        throw RecommendationError.unknownProduct(product, nearest: try Self.nearest(product, db))
      }
      var reader = Unpacker(complements ? row[1] : row[0])
      let scored = reader.head().prefix(limit).map { entry in
        Scored(
          item: entry.item, score: Double(entry.score),
          parts: [complements ? .crossSell : .collaborative: Double(entry.score)])
      }
      return RecommendationList(items: try Self.named(scored, model, db), notes: [])
    }
  }

  /// Names the scored items from the stored model.
  static func named(_ scored: [Scored], _ model: Model, _ db: Database) throws -> [Recommendation] {
    var names: [Int32: String] = [:]
    if !scored.isEmpty {
      for row in try Row.fetchAll(
        db,
        sql: "SELECT item, product FROM recs_item WHERE item IN ("
          + scored.map { String($0.item) }.joined(separator: ",") + ")")
      {
        names[row[0]] = row[1]
      }
    }
    return scored.map { entry in
      let category =
        model.category.indices.contains(Int(entry.item)) ? Int(model.category[Int(entry.item)]) : -1
      return Recommendation(
        product: names[entry.item] ?? "",
        category: category >= 0 ? model.categoryNames[category] : "",
        score: (entry.score * 10_000).rounded() / 10_000,
        strategies: Dictionary(
          uniqueKeysWithValues: entry.parts.map {
            ($0.key.rawValue, ($0.value * 10_000).rounded() / 10_000)
          }))
    }
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
  public func cart(_ products: [String], limit: Int = 10) async throws -> RecommendationList {
    try await store.read { db in
      guard let (model, _) = try Model.slice(db, user: nil) else {
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
        basket.insert(row[0])
        var reader = Unpacker(row[1])
        for (item, score) in reader.head() { scores[item, default: 0] += Double(score) }
      }
      let scored = scores.filter { !basket.contains($0.key) }
        .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
        .map { Scored(item: $0.key, score: $0.value, parts: [.crossSell: $0.value]) }
      return RecommendationList(items: try Self.named(Array(scored), model, db), notes: [])
    }
  }

  /// The products rising most against their own earlier rate, optionally in the categories whose
  /// path starts with `category`.
  public func trending(category: String? = nil, limit: Int = 10) async throws
    -> RecommendationList
  {
    try await store.read { db in
      guard let (model, _) = try Model.slice(db, user: nil) else {
        throw RecommendationError.notTrained
      }
      let scored = model.trending.filter { entry in
        guard let category else { return true }
        let kind = Int(
          model.category.indices.contains(Int(entry.item)) ? model.category[Int(entry.item)] : -1)
        return kind >= 0 && model.categoryNames[kind].lowercased().hasPrefix(category.lowercased())
      }.prefix(limit).map {
        Scored(item: $0.item, score: Double($0.score), parts: [.trending: Double($0.score)])
      }
      var notes: [String] = []
      if scored.isEmpty, let category {
        notes.append("no trending product in a category starting with '\(category)'")
      }
      return RecommendationList(items: try Self.named(Array(scored), model, db), notes: notes)
    }
  }
}
