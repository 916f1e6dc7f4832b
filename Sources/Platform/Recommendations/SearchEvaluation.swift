import Analytics
import Foundation
import GRDB
import Store

/// Where purchased products ranked in the searches before them (`mkt recs evaluate --search`).
public struct SearchRankFigures: Sendable, Equatable, Encodable {
  /// `plain` or `personalised`.
  public var ranking: String
  /// Searches whose purchased product ranked in the top `k`.
  public var hitRate: Double
  /// The mean of 1 ÷ the purchased product's rank.
  public var reciprocalRank: Double
  public var meanRank: Double

  enum CodingKeys: String, CodingKey {
    case ranking
    case hitRate = "hit_rate"
    case reciprocalRank = "mrr"
    case meanRank = "mean_rank"
  }
}

/// Whether personalised search ranked what shoppers then bought higher than plain search.
public struct SearchEvaluation: Sendable, Equatable, Encodable {
  public var cut: String
  public var k: Int
  /// Searches in the held-out days, by shoppers with events before them, followed by a
  /// purchase in the same session.
  public var searches: Int
  /// Those whose purchased product is among the search's top ``PersonalisedRanking/depth``
  /// hits today: only there can re-ranking move it.
  public var judged: Int
  public var plain: SearchRankFigures
  public var personalised: SearchRankFigures
  /// Judged searches where personalising moved the purchase up, and down.
  public var improved: Int
  public var worsened: Int
}

extension RecommendationService {
  /// Replays the searches of the last `holdoutDays` days that ended in a purchase: the model is
  /// trained on the events before them, each query runs through `search` (its top
  /// ``PersonalisedRanking/depth`` hits, best first, with their scores), and the purchased
  /// product's rank is compared plain and re-ranked for the shopper as `mkt search --user`
  /// does.
  ///
  /// - Throws: ``RecommendationError/noEvents(holdoutDays:)`` when no such search is stored.
  public func evaluateSearch(
    holdoutDays: Int = 7, k: Int = 10,
    search: (String) async throws -> [(id: String, score: Double)]
  ) async throws -> SearchEvaluation {
    let (model, items, weights, cut, cases) = try await store.read { db in
      guard let days = try EventHistory.days(db) else {
        throw RecommendationError.noEvents(holdoutDays: holdoutDays)
      }
      var events: [ShopperEvent] = []
      try EventHistory.each(db, days: days) { events.append($0) }
      let end = events.map(\.ts).max() ?? 0
      let cut = end - Int64(holdoutDays) * 86_400
      let training = Interactions(events.filter { $0.ts < cut })
      let model = Model.train(
        training, try Catalogue.load(db, items: training.items), TrainingSettings())
      // Each session's purchases after the cut, in time order.
      var bought: [Int64: [(ts: Int64, product: Int64)]] = [:]
      for event in events where event.ts >= cut && event.kind == .purchase {
        bought[event.session, default: []].append((event.ts, event.product))
      }
      var cases: [SearchCase] = []
      let searched = max(cut / 86_400, days.lowerBound)...days.upperBound
      for found in try EventHistory.searches(db, days: searched) where found.ts >= cut {
        guard let profile = model.profile(of: found.user),
          let purchase = bought[found.session]?.filter({ $0.ts >= found.ts }).min(by: {
            $0.ts < $1.ts
          })
        else { continue }
        cases.append(SearchCase(query: found.query, profile: profile, product: purchase.product))
      }
      return (model, training.itemIndex, try Self.weights(db), cut, cases)
    }
    guard !cases.isEmpty else { throw RecommendationError.noSearches(holdoutDays: holdoutDays) }
    var plain: [Int] = []
    var personalised: [Int] = []
    var improved = 0
    var worsened = 0
    for found in cases {
      let hits = Array(try await search(found.query).prefix(PersonalisedRanking.depth))
      let keys = hits.map { EventHistory.productKey($0.id) }
      guard let position = keys.firstIndex(of: found.product) else { continue }
      let affinity = model.affinity(
        found.profile, weights: weights, items: keys.map { items[$0] })
      let order = PersonalisedRanking.order(scores: hits.map(\.score), affinity: affinity)
      let moved = (order.firstIndex(of: position) ?? position) + 1
      plain.append(position + 1)
      personalised.append(moved)
      improved += moved < position + 1 ? 1 : 0
      worsened += moved > position + 1 ? 1 : 0
    }
    func figures(_ ranking: String, _ ranks: [Int]) -> SearchRankFigures {
      let count = Double(max(ranks.count, 1))
      return SearchRankFigures(
        ranking: ranking, hitRate: Double(ranks.filter { $0 <= k }.count) / count,
        reciprocalRank: ranks.reduce(0) { $0 + 1 / Double($1) } / count,
        meanRank: Double(ranks.reduce(0, +)) / count)
    }
    return SearchEvaluation(
      cut: Analytics.dayText(cut / 86_400), k: k, searches: cases.count, judged: plain.count,
      plain: figures("plain", plain), personalised: figures("personalised", personalised),
      improved: improved,
      worsened: worsened)
  }
}

/// A search that ended in a purchase: what was typed, by whom, and what they bought.
struct SearchCase {
  var query: String
  var profile: Model.Profile
  var product: Int64
}
