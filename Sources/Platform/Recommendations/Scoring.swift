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
  /// Each strategy's scores for a profile (those of `strategies`), divided by the strategy's
  /// best.
  func strategyScores(
    _ profile: Profile?, at now: Int64, only strategies: [Strategy] = Strategy.allCases
  ) -> [Strategy: [Int32: Double]] {
    var scores: [Strategy: [Int32: Double]] = [:]
    let affinity = Affinity(profile, self)
    for strategy in strategies {
      var map = raw(strategy, profile, affinity, at: now)
      if let best = map.values.max(), best > 0 {
        // mapValues keeps the table's layout: no key is hashed again.
        map = map.mapValues { $0 / best }
      }
      scores[strategy] = map
    }
    return scores
  }

  /// A strategy's scores before normalisation; `affinity` is the profile's, made once for all
  /// strategies.
  func raw(_ strategy: Strategy, _ profile: Profile?, _ affinity: Affinity, at now: Int64)
    -> [Int32: Double]
  {
    var map: [Int32: Double] = [:]
    switch strategy {
    case .popularity:
      for (item, score) in popular.prefix(100) { map[item] = Double(score) }
    case .trending:
      // Trending products, weighed by the shopper's interest in their category.
      for (item, score) in trending.prefix(200) {
        map[item] = Double(score) * affinity.of(categoryOf(item))
      }
    case .seasonal:
      for (item, score) in seasonal.prefix(200) {
        map[item] = Double(score) * affinity.of(categoryOf(item))
      }
    case .collaborative:
      map.reserveCapacity((profile?.recent.count ?? 0) * 50)
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
      // The best sellers of the categories the shopper cares for most, by their share of the
      // category, lifted by the shopper's interest in their brand.
      guard let profile, profile.categoryTotal > 0 else { break }
      let brands = Dictionary(profile.brands.map { ($0.brand, $0.weight) }, uniquingKeysWith: +)
      map.reserveCapacity(1_000)
      for category in affinity.favourites(10) where categoryHeads.indices.contains(Int(category)) {
        let weight = affinity.of(category)
        for (item, share) in categoryHeads[Int(category)].prefix(100) {
          let brand = brand.indices.contains(Int(item)) ? brand[Int(item)] : -1
          let lift = 1 + 3 * Double((brands[brand] ?? 0) / profile.categoryTotal)
          map[item] = weight * Double(share) * lift
        }
      }
    case .rebuy:
      // Due when the category's cycle has passed, within the week ahead.
      for purchase in profile?.purchases ?? [] {
        let kind = Int(categoryOf(purchase.item))
        guard categories.indices.contains(kind) else { continue }
        let facts = categories[kind]
        guard facts.rebuyDays > 0 else { continue }
        let cycle = Double(facts.rebuyDays)
        let days = Double(now - purchase.last) / 86_400
        let distance = (days + 3.5 - cycle) / (0.3 * cycle)
        map[purchase.item] = Double(facts.rebuyRate) * exp(-distance * distance / 2)
      }
    }
    return map
  }

  /// The category of an item, -1 for none.
  func categoryOf(_ item: Int32) -> Int32 {
    category.indices.contains(Int(item)) ? category[Int(item)] : -1
  }
}

/// A shopper's interest in each category: their own share of it, smoothed towards the
/// category's share of everyone's, mixed with their interest in its top level (which says more
/// than one leaf: 80 %).
struct Affinity {
  let model: Model
  let own: [Int32: Float]
  let ownTop: [Int32: Float]
  let total: Float
  static let prior: Float = 2
  static let leafPart: Float = 0.2

  init(_ profile: Model.Profile?, _ model: Model) {
    self.model = model
    own = Dictionary(
      (profile?.categories ?? []).map { ($0.category, $0.weight) }, uniquingKeysWith: +)
    var tops: [Int32: Float] = [:]
    for (category, weight) in own where model.categories.indices.contains(Int(category)) {
      tops[model.categories[Int(category)].top, default: 0] += weight
    }
    ownTop = tops
    total = profile?.categoryTotal ?? 0
  }

  /// The interest in `category` (a small prior for items without one).
  func of(_ category: Int32) -> Double {
    guard model.categories.indices.contains(Int(category)) else { return 0.01 }
    let facts = model.categories[Int(category)]
    let smoothing = Self.prior * facts.share
    let leaf = ((own[category] ?? 0) + smoothing) / (total + Self.prior)
    let top = ((ownTop[facts.top] ?? 0) + smoothing) / (total + Self.prior) * facts.shareOfTop
    return Double(Self.leafPart * leaf + (1 - Self.leafPart) * top)
  }

  /// The `limit` categories of most interest, among those of the shopper's top levels.
  func favourites(_ limit: Int) -> [Int32] {
    let candidates = model.categories.indices.filter { ownTop[model.categories[$0].top] != nil }
    return Array(
      candidates.map { (Int32($0), of(Int32($0))) }
        .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(limit).map(\.0))
  }
}
