import Foundation
import MktCore

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
    // Only the strategies that count: the one asked for, or those weighed above 0.
    let needed = strategy.map { [$0] } ?? Strategy.allCases.filter { weights[$0] > 0 }
    return blend(
      strategyScores(profile, at: now, only: needed), profile, weights: weights,
      selection: selection, only: strategy)
  }

  /// Blends strategy scores computed before (an evaluation scores many weightings).
  func blend(
    _ scores: [Strategy: [Int32: Double]], _ profile: Profile?, weights: Weights,
    selection: Selection, only strategy: Strategy? = nil
  ) -> [Scored] {
    // Totals first; what each strategy gave is gathered for the products shown alone.
    var blended: [(name: Strategy, weight: Double, map: [Int32: Double])] = []
    var total: [Int32: Double] = [:]
    total.reserveCapacity(scores.values.reduce(0) { $0 + $1.count })
    for (name, map) in scores {
      let weight = strategy.map { $0 == name ? 1 : 0 } ?? weights[name]
      guard weight > 0 else { continue }
      blended.append((name, weight, map))
      for (item, score) in map where score > 0 { total[item, default: 0] += weight * score }
    }
    var bought = Set<Int32>()
    if selection.skipBought {
      let due = scores[.rebuy] ?? [:]
      for purchase in profile?.purchases ?? [] where (due[purchase.item] ?? 0) < 0.05 {
        bought.insert(purchase.item)
      }
    }
    // The best few in order, a heap's worth; all of them only when bought products and the
    // category cap leave too few of those.
    let few = max(64, selection.limit * 8)
    var shown = choose(total, among: ranked(total, best: few), profile, bought, selection, blended)
    if shown.count < selection.limit, total.count > few {
      shown = choose(
        total, among: ranked(total, best: total.count), profile, bought, selection, blended)
    }
    return shown
  }

  /// The `best` items of `total` by score (ties to the smaller item).
  private func ranked(_ total: [Int32: Double], best: Int) -> [Int32] {
    var top = TopK(capacity: best)
    for (item, score) in total { top.offer(-score, Int64(item)) }
    return top.items.map { Int32($0.doc) }
  }

  /// Walks `order` into the list: bought products left out, the category cap applied, and
  /// what each strategy gave gathered for each product shown.
  private func choose(
    _ total: [Int32: Double], among order: [Int32], _ profile: Profile?, _ bought: Set<Int32>,
    _ selection: Selection, _ blended: [(name: Strategy, weight: Double, map: [Int32: Double])]
  ) -> [Scored] {
    var shown: [Scored] = []
    var perCategory: [Int32: Int] = [:]
    for item in order {
      guard shown.count < selection.limit else { break }
      guard !bought.contains(item) else { continue }
      let kind = category.indices.contains(Int(item)) ? category[Int(item)] : -1
      if selection.perCategory > 0, kind >= 0 {
        guard perCategory[kind, default: 0] < selection.perCategory else { continue }
        perCategory[kind, default: 0] += 1
      }
      var parts: [Strategy: Double] = [:]
      for (name, weight, map) in blended {
        if let part = map[item], part > 0 { parts[name] = weight * part }
      }
      shown.append(Scored(item: item, score: total[item] ?? 0, parts: parts))
    }
    return shown
  }
}
