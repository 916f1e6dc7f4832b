import Analytics
import Foundation
import GRDB
import Store

extension RecommendationService {
  /// The weights in force: those set or tuned last, else ``Weights/standard``.
  public func weights() async throws -> Weights {
    try await store.read { db in try Self.weights(db) }
  }

  static func weights(_ db: Database) throws -> Weights {
    try Data.fetchOne(
      db.cachedStatement(sql: "SELECT value FROM recs_model WHERE name = 'weights'")
    ).flatMap {
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
