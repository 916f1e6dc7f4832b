import Analytics
import Foundation
import GRDB
public import MktCore
public import Store

/// Recommendations over the stored events and catalog: `mkt recs …`.
public struct RecommendationService: Sendable {
  let store: Store
  /// The stored model's shared part, kept across queries while no training replaces it.
  let cache = ModelCache()

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
  /// What training is doing, for a progress line.
  public enum TrainingStep: Sendable {
    /// Events read so far.
    case reading(events: Int)
    case learning(events: Int)
    case saving
  }

  /// Learns the model from the stored events (those from `since`, in seconds, when given) and
  /// the catalog, in one transaction: by adding the events stored since the last training to
  /// its model when it can (see ``Increment``), else (or with `full`, or `since`) from all of
  /// them, replacing the stored model.
  ///
  /// - Throws: ``RecommendationError/nothingToLearn`` when no product event is stored.
  public func train(
    since: Int64? = nil, full: Bool = false,
    progress: (@Sendable (TrainingStep) -> Void)? = nil
  ) async throws -> ModelInfo {
    let now = store.clock.now()
    return try await store.write(.normal) { db in
      let settings = TrainingSettings()
      var fullBecause: String?
      if !full, since == nil, let state = try TrainingState.stored(db) {
        switch try Increment(settings: settings, now: now).run(
          db, state, progress: { progress?(.reading(events: $0)) })
        {
        case .trained(let info): return info
        case .full(let reason): fullBecause = reason
        }
      }
      let data = try Interactions.load(db, since: since) { progress?(.reading(events: $0)) }
      guard !data.item.isEmpty else { throw RecommendationError.nothingToLearn }
      progress?(.learning(events: data.item.count))
      let catalogue = try Catalogue.load(db, items: data.items)
      var model = Model.train(data, catalogue, settings)
      model.state?.since = since
      model.state?.days = try EventHistory.productEventsPerDay(db)
      progress?(.saving)
      var info = ModelInfo(
        trainedAt: UTCTime.iso(now),
        until: UTCTime.iso(Date(timeIntervalSince1970: TimeInterval(data.end))),
        events: data.item.count, users: data.users.count, products: data.items.count,
        categories: catalogue.categories.count,
        consumables: ModelInfo.consumables(model.categories))
      info.fullBecause = fullBecause
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
}

/// What recommendations refuse.
public enum RecommendationError: MktError, Equatable {
  case noEvents(holdoutDays: Int)
  case noSearches(holdoutDays: Int)
  case nothingToLearn
  case notTrained
  case unknownProduct(String, nearest: [String])
  case invalidWeights(String)
  case unknownVariant(WeightsVariant, valid: [String])
  case staleModel

  public var exitStatus: SysExit {
    switch self {
    case .noEvents, .noSearches, .nothingToLearn, .notTrained, .invalidWeights, .staleModel:
      .dataError
    case .unknownVariant: .usage
    case .unknownProduct: .noInput
    }
  }

  public var description: String {
    switch self {
    case .noEvents(let days):
      "no shopper bought in the last \(days) days after buying or viewing before them: "
        + "there is nothing to evaluate"
    case .noSearches(let days):
      "no search in the last \(days) days was followed by a purchase in its session by a "
        + "shopper with events before them: there is nothing to evaluate"
    case .nothingToLearn:
      "no product views, carts or purchases are stored: there is nothing to learn from"
    case .notTrained: "no recommendation model is stored"
    case .staleModel:
      "the stored recommendation model was written by another version of mkt and is not read"
    case .invalidWeights(let why): "these weights cannot be used: \(why)"
    case .unknownVariant(let variant, _):
      "experiment '\(variant.experiment)' has no variant '\(variant.variant)'"
    case .unknownProduct(let product, _):
      "product '\(product)' is not in the recommendation model (no shopper met it)"
    }
  }

  public var hint: String? {
    switch self {
    case .noEvents, .nothingToLearn:
      "ingest product views, carts and purchases first: mkt events ingest FILE"
    case .noSearches:
      "ingest search events with the sessions they belong to: mkt events ingest FILE"
    case .notTrained, .staleModel: "train one first: mkt recs train"
    case .unknownProduct(_, let nearest):
      nearest.isEmpty ? nil : "nearest ids: " + nearest.joined(separator: ", ")
    case .invalidWeights: nil
    case .unknownVariant(_, let valid): "its variants: " + valid.joined(separator: ", ")
    }
  }
}
