import Analytics
import Foundation
import GRDB
import Store

/// A variant of an A/B test (`mkt ab create`) that recommends with weights of its own.
public struct WeightsVariant: Sendable, Equatable, Hashable {
  public var experiment: String
  public var variant: String

  public init(experiment: String, variant: String) {
    self.experiment = experiment
    self.variant = variant
  }

  /// The `recs_model` row its weights are kept in.
  var row: String { "weights:\(experiment):\(variant)" }
}

extension RecommendationService {
  /// The weights in force: those set or tuned last, else ``Weights/standard``; for a variant,
  /// its own where set, else those.
  public func weights(variant: WeightsVariant? = nil) async throws -> Weights {
    try await store.read { db in try Self.weights(db, variant: variant) }
  }

  static func weights(_ db: Database, variant: WeightsVariant? = nil) throws -> Weights {
    func stored(_ name: String) throws -> Weights? {
      try Data.fetchOne(
        db.cachedStatement(sql: "SELECT value FROM recs_model WHERE name = ?"), arguments: [name]
      ).flatMap { try? JSONDecoder().decode(Weights.self, from: $0) }
    }
    if let variant, let own = try stored(variant.row) { return own }
    return try stored("weights") ?? .standard
  }

  /// The variant `user` is in for `experiment` (as `mkt ab assign` says).
  ///
  /// - Throws: ``ExperimentError/unknown(_:)`` for an experiment never created.
  static func variant(of user: String, in experiment: String, _ db: Database) throws
    -> WeightsVariant
  {
    let planned = try AnalyticsService.experiment(experiment, db)
    return WeightsVariant(experiment: experiment, variant: planned.variant(of: user))
  }

  /// The variants with weights of their own, with them.
  public func variantWeights() async throws -> [(WeightsVariant, Weights)] {
    try await store.read { db in
      try Row.fetchAll(
        db, sql: "SELECT name, value FROM recs_model WHERE name LIKE 'weights:%' ORDER BY name"
      ).compactMap { row in
        let parts = (row["name"] as String).split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3,
          let weights = try? JSONDecoder().decode(Weights.self, from: row["value"])
        else { return nil }
        return (WeightsVariant(experiment: parts[1], variant: parts[2]), weights)
      }
    }
  }

  /// Stores `weights` (normalised to sum to 1) for the ensemble, or for one variant of an A/B
  /// test; kept across trainings.
  ///
  /// - Throws: ``RecommendationError/invalidWeights(_:)`` for a negative weight or a sum of 0;
  ///   ``RecommendationError/unknownVariant(_:valid:)`` for a variant the experiment lacks;
  ///   ``ExperimentError/unknown(_:)`` for an experiment never created.
  @discardableResult
  public func setWeights(_ weights: Weights, variant: WeightsVariant? = nil) async throws
    -> Weights
  {
    if let negative = weights.values.first(where: { $0.value < 0 || !$0.value.isFinite }) {
      throw RecommendationError.invalidWeights(
        "\(negative.key.rawValue) is \(negative.value): weights are 0 or more")
    }
    guard let normalised = weights.normalised() else {
      throw RecommendationError.invalidWeights("the weights sum to 0")
    }
    try await store.write { db in
      if let variant {
        let planned = try AnalyticsService.experiment(variant.experiment, db)
        guard planned.variants.contains(variant.variant) else {
          throw RecommendationError.unknownVariant(variant, valid: planned.variants)
        }
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO recs_model (name, value) VALUES (?, ?)",
        arguments: [variant?.row ?? "weights", try JSONEncoder().encode(normalised)])
    }
    return normalised
  }

  /// Forgets the weights set or tuned: the design's apply again; for a variant, its own
  /// weights are forgotten and the ensemble's apply to it.
  public func resetWeights(variant: WeightsVariant? = nil) async throws -> Weights {
    try await store.write { db in
      try db.execute(
        sql: "DELETE FROM recs_model WHERE name = ?", arguments: [variant?.row ?? "weights"])
      return try Self.weights(db)
    }
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
          events.filter { $0.ts < cut }, catalogue: catalogue, settings: TrainingSettings(),
          keepScores: true),
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
