import Analytics
import Foundation
import GRDB
import Store

extension RecommendationService {
  /// How much the products with `ids` suit `user`, each in [0, 1.3] (``Model/affinity(_:weights:items:)``);
  /// `nil` when the model does not know the user.
  ///
  /// - Throws: ``RecommendationError/notTrained`` before `mkt recs train`.
  public func affinity(of user: String, for ids: [String]) async throws -> [String: Double]? {
    try await store.read { db in
      guard let (model, found) = try cache.slice(db, user: EventHistory.userKey(user)) else {
        throw RecommendationError.notTrained
      }
      guard let profile = found, !ids.isEmpty else { return nil }
      var items: [String: Int32] = [:]
      try SQLInList.chunks(ids) { marks, arguments in
        for row in try Row.fetchAll(
          db.cachedStatement(
            sql: "SELECT product, item FROM recs_item WHERE product IN (\(marks))"),
          arguments: arguments)
        {
          items[row["product"]] = row["item"]
        }
      }
      let scores = model.affinity(
        profile, weights: try Self.weights(db), items: ids.map { items[$0] })
      return Dictionary(zip(ids, scores), uniquingKeysWith: max)
    }
  }
}

extension Model {
  /// How much `items` (`nil`: not in the model) suit a shopper, each in [0, 1.3].
  ///
  /// The ensemble's score where the shopper's strategies find the product (divided by the best
  /// of them), plus 0.3 × the shopper's interest in its category (divided by the strongest).
  func affinity(_ profile: Profile, weights: Weights, items: [Int32?]) -> [Double] {
    let ensemble = Dictionary(
      recommend(
        profile, weights: weights, selection: Selection(limit: 1_000, perCategory: 0), at: end
      ).map { ($0.item, $0.score) }, uniquingKeysWith: max)
    let best = max(ensemble.values.max() ?? 0, 1e-9)
    let interest = Affinity(profile, self)
    let strongest = max(profile.categories.map { interest.of($0.category) }.max() ?? 0, 1e-9)
    return items.map { item in
      guard let item else { return 0 }
      let category = categoryOf(item)
      let liking = category >= 0 ? min(interest.of(category) / strongest, 1) : 0
      return (ensemble[item] ?? 0) / best + 0.3 * liking
    }
  }
}

/// The order `mkt search --user` shows the top hits in.
public enum PersonalisedRanking {
  /// How many of the best hits are re-ranked.
  public static let depth = 100

  /// The positions of hits re-ranked by relevance (a hit's score divided by the first's, in
  /// [0, 1]; BM25's scores are negative and keep their sign) plus the shopper's affinity;
  /// ties keep the search's order.
  public static func order(scores: [Double], affinity: [Double]) -> [Int] {
    let best = scores.first ?? 0
    return scores.indices.map { position in
      let relevance = best == 0 ? 1 : min(max(scores[position] / best, 0), 1)
      let liking = affinity.indices.contains(position) ? affinity[position] : 0
      return (position, relevance + liking)
    }.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }.map(\.0)
  }
}
