import Foundation

/// How a list of recommendations is cut: diversity and what is left out.
struct Selection {
  var limit: Int
  /// At most this many products of one category in a list (maximal coverage of the shopper's
  /// interests without burying the best category); 0 for no cap.
  var perCategory = 3
  /// Leaves out products the shopper bought, unless re-buy finds them due.
  var skipBought = true
}

extension Model {
  /// The best products for a profile under `weights` (or one strategy alone), cut by
  /// `selection`.
  func recommend(
    _ profile: Profile?, weights: Weights, selection: Selection, at now: Int64,
    only strategy: Strategy? = nil
  ) -> [Scored] {
    blend(
      strategyScores(profile, at: now), profile, weights: weights, selection: selection,
      only: strategy)
  }

  /// Blends strategy scores computed before (an evaluation scores many weightings).
  func blend(
    _ scores: [Strategy: [Int32: Double]], _ profile: Profile?, weights: Weights,
    selection: Selection, only strategy: Strategy? = nil
  ) -> [Scored] {
    var total: [Int32: Scored] = [:]
    for (name, map) in scores {
      let weight = strategy.map { $0 == name ? 1 : 0 } ?? weights[name]
      guard weight > 0 else { continue }
      for (item, score) in map where score > 0 {
        total[item, default: Scored(item: item, score: 0, parts: [:])].score += weight * score
        total[item]?.parts[name] = weight * score
      }
    }
    var bought = Set<Int32>()
    if selection.skipBought {
      let due = scores[.rebuy] ?? [:]
      for purchase in profile?.purchases ?? [] where (due[purchase.item] ?? 0) < 0.05 {
        bought.insert(purchase.item)
      }
    }
    var shown: [Scored] = []
    var perCategory: [Int32: Int] = [:]
    for candidate in total.values.sorted(by: { ($0.score, $1.item) > ($1.score, $0.item) }) {
      guard shown.count < selection.limit else { break }
      guard !bought.contains(candidate.item) else { continue }
      let kind = category.indices.contains(Int(candidate.item)) ? category[Int(candidate.item)] : -1
      if selection.perCategory > 0, kind >= 0 {
        guard perCategory[kind, default: 0] < selection.perCategory else { continue }
        perCategory[kind, default: 0] += 1
      }
      shown.append(candidate)
    }
    return shown
  }
}
