import Analytics
import Foundation
import GRDB
import Store

extension RecommendationService {
  /// How much the products with `ids` suit `user`, each in [0, 1.3].
  ///
  /// The ensemble's score where the user's strategies find the product (divided by the best of
  /// them), plus 0.3 × the user's interest in its category (divided by the strongest); `nil`
  /// when the model does not know the user.
  ///
  /// - Throws: ``RecommendationError/notTrained`` before `mkt recs train`.
  public func affinity(of user: String, for ids: [String]) async throws -> [String: Double]? {
    try await store.read { db in
      guard let (model, found) = try cache.slice(db, user: EventHistory.userKey(user)) else {
        throw RecommendationError.notTrained
      }
      guard let profile = found, !ids.isEmpty else { return nil }
      var items: [String: Int32] = [:]
      let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
      for row in try Row.fetchAll(
        db, sql: "SELECT product, item FROM recs_item WHERE product IN (\(marks))",
        arguments: StatementArguments(ids))
      {
        items[row[0]] = row[1]
      }
      let weights = try Self.weights(db)
      let ensemble = Dictionary(
        model.recommend(
          profile, weights: weights, selection: Selection(limit: 1_000, perCategory: 0),
          at: model.end
        ).map { ($0.item, $0.score) }, uniquingKeysWith: max)
      let best = max(ensemble.values.max() ?? 0, 1e-9)
      let interest = Affinity(profile, model)
      let strongest = max(
        profile.categories.map { interest.of($0.category) }.max() ?? 0, 1e-9)
      var result: [String: Double] = [:]
      for id in ids {
        guard let item = items[id] else {
          result[id] = 0
          continue
        }
        let category = model.categoryOf(item)
        let liking = category >= 0 ? min(interest.of(category) / strongest, 1) : 0
        result[id] = (ensemble[item] ?? 0) / best + 0.3 * liking
      }
      return result
    }
  }
}
