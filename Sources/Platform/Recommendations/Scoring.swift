import Foundation

/// A way of finding products for a shopper; each scores its candidates in [0, 1] (divided by
/// its best candidate for that shopper) so the ensemble can weigh them.
public enum Strategy: String, Sendable, CaseIterable, Codable {
  /// Products met together with the shopper's recent ones by other shoppers (co-visits,
  /// cosine-normalised).
  case collaborative
  /// The best sellers of the shopper's favourite categories.
  case content
  /// Products rising against their own earlier rate.
  case trending
  /// Products carted or viewed after the shopper's carted or bought ones in other sessions.
  case crossSell = "cross-sell"
  /// The category's sales in the same weeks a year before (needs a year of events).
  case seasonal
  /// The shopper's own consumables, when their purchase cycle says they are due.
  case rebuy = "re-buy"
  /// The most popular products (the baseline; not in the ensemble).
  case popularity
}

/// How much each strategy counts in the ensemble.
public struct Weights: Sendable, Equatable, Codable {
  public var values: [Strategy: Double]

  /// The design's blend (collaborative 0.30, content 0.25, trending 0.15, cross-sell 0.20,
  /// seasonal 0.10) with re-buy beside it at 0.25.
  public static let standard = Weights(values: [
    .collaborative: 0.30, .content: 0.25, .trending: 0.15, .crossSell: 0.20, .seasonal: 0.10,
    .rebuy: 0.25,
  ])

  public init(values: [Strategy: Double]) {
    self.values = values
  }

  public subscript(strategy: Strategy) -> Double { values[strategy] ?? 0 }

  /// Encoded as an object keyed by the strategies' names.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(
      Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) }))
  }

  public init(from decoder: any Decoder) throws {
    let named = try decoder.singleValueContainer().decode([String: Double].self)
    values = [:]
    for (name, value) in named {
      guard let strategy = Strategy(rawValue: name) else {
        throw DecodingError.dataCorrupted(
          DecodingError.Context(codingPath: [], debugDescription: "unknown strategy \(name)"))
      }
      values[strategy] = value
    }
  }
}

/// One recommended product with what each strategy gave it.
struct Scored {
  var item: Int32
  var score: Double
  var parts: [Strategy: Double]
}

extension Model {
  /// Each strategy's scores for a profile, divided by the strategy's best.
  func strategyScores(_ profile: Profile?, at now: Int64) -> [Strategy: [Int32: Double]] {
    var scores: [Strategy: [Int32: Double]] = [:]
    for strategy in Strategy.allCases {
      var map = raw(strategy, profile, at: now)
      if let best = map.values.max(), best > 0 {
        for key in map.keys { map[key] = (map[key] ?? 0) / best }
      }
      scores[strategy] = map
    }
    return scores
  }

  /// A strategy's scores before normalisation.
  func raw(_ strategy: Strategy, _ profile: Profile?, at now: Int64) -> [Int32: Double] {
    var map: [Int32: Double] = [:]
    let favourite = Dictionary(
      (profile?.categories ?? []).map { ($0.category, $0.weight) }, uniquingKeysWith: +)
    let total = favourite.values.reduce(0, +)
    /// The share of the shopper's interest that went to the item's category.
    func share(of item: Int32) -> Double {
      guard total > 0, category.indices.contains(Int(item)) else { return 0 }
      return Double((favourite[category[Int(item)]] ?? 0) / total)
    }
    switch strategy {
    case .popularity:
      for (item, score) in popular.prefix(100) { map[item] = Double(score) }
    case .trending:
      // Trending products, more so in the shopper's categories.
      for (item, score) in trending.prefix(200) {
        map[item] = Double(score) * (0.2 + share(of: item))
      }
    case .collaborative:
      for (item, weight) in profile?.recent ?? [] {
        for index in similar.of(item) {
          map[similar.targets[index], default: 0] += Double(weight * similar.scores[index])
        }
      }
    case .crossSell:
      for (item, weight) in profile?.baskets ?? [] {
        for index in complements.of(item) {
          map[complements.targets[index], default: 0] +=
            Double(weight * complements.scores[index])
        }
      }
    case .content:
      for (category, weight) in profile?.categories ?? [] {
        let head = categoryHeads[Int(category)]
        guard let top = head.first?.score, top > 0 else { continue }
        for (item, score) in head.prefix(50) {
          map[item, default: 0] += Double(weight * score / top)
        }
      }
    case .seasonal:
      // Last year's demand for the weeks ahead, more so in the shopper's categories.
      for (item, score) in seasonal.prefix(200) {
        map[item] = Double(score) * (0.2 + share(of: item))
      }
    case .rebuy:
      for purchase in profile?.purchases ?? [] {
        let kind = category[Int(purchase.item)]
        guard kind >= 0 else { continue }
        let cycle = Double(rebuyDays[Int(kind)])
        guard cycle > 0 else { continue }
        // Due when the cycle has passed: highest at one cycle, fading over the next.
        let due = Double(now - purchase.last) / 86_400 / cycle
        let closeness = exp(-pow(log(max(due, 0.05)), 2) / 0.5)
        map[purchase.item] = closeness * Double(purchase.count)
      }
    }
    return map
  }
}
