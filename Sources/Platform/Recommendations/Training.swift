import Analytics
import Foundation

/// The constants training uses, in one place (documented in `mkt recs train --help`).
struct TrainingSettings: Sendable {
  /// Popularity halves every this many days.
  var halfLifeDays = 14.0
  /// A shopper's interest in categories and brands halves every this many days.
  var affinityHalfLifeDays = 30.0
  /// A shopper's interest in products (what collaborative starts from) halves faster: what
  /// they looked at this week matters most.
  var profileHalfLifeDays = 3.0
  /// Trending compares the last this many days (halving every 3 days) with the product's own
  /// weekly rate over the weeks before.
  var trendingDays = 7.0
  /// The weeks before the trending window that make a product's own rate.
  var baselineWeeks = 4.0
  /// Seasonal looks at this many days from the same date a year before.
  var seasonDays = 14.0
  /// Neighbours kept per product (collaborative, cross-sell).
  var neighbours = 50
  /// Two events of one user count together when at most this many products apart.
  var window = 5
  /// Two events of one user count together when this close in time (seconds).
  var windowSeconds: Int64 = 3 * 86_400
  /// Co-visit similarity is shrunk by count ÷ (count + this): rare pairs count less.
  var shrink: Float = 5
  /// Products kept per category, per profile, in the heads.
  var categoryHead = 200
  var profileItems = 30
  var profileCategories = 20
  var profileBrands = 10
  /// A category is a consumable when at least this many repeat purchases (a product bought
  /// again by the same shopper more than 2 days later) tell its cycle.
  var rebuyMinimumRepeats = 20
}

extension Model {
  /// Learns the model from `data` and the catalog, with the state a later training adds to.
  static func train(_ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings)
    -> Model
  {
    let end = data.end
    let count = data.items.count
    var popularity = [Float](repeating: 0, count: count)
    var windows = Windows(end: end, count: count, settings: settings)
    for index in data.item.indices {
      let item = data.item[index]
      let kind = data.kind[index]
      popularity[Int(item)] += kind.weight * decay(data.ts[index], to: end, settings.halfLifeDays)
      windows.add(
        day: data.ts[index] / 86_400, item: item, weight: kind.weight,
        purchases: kind == .purchase ? 1 : 0)
    }
    var profiles: [Profile] = []
    profiles.reserveCapacity(data.users.count)
    for user in data.users.indices {
      profiles.append(Self.profile(user, data, catalogue, settings))
    }
    var userIndex: [Int64: Int32] = [:]
    userIndex.reserveCapacity(data.users.count)
    for (index, key) in data.users.enumerated() { userIndex[key] = Int32(index) }
    let (similar, visits) = Self.coVisits(data, settings)
    let (complements, sessions) = Self.crossSells(data, settings)
    let rebuys = Self.rebuys(data, catalogue)
    var model = Self.assemble(
      popularity: popularity, windows: windows, catalogue: catalogue,
      rebuy: rebuys.cycles(settings), settings: settings)
    model.similar = similar
    model.complements = complements
    model.userIndex = userIndex
    model.profiles = profiles
    model.state = TrainingState(
      keys: data.items, brands: catalogue.brands, popularity: popularity, visits: visits,
      baskets: sessions.baskets, seen: sessions.seen, sessions: sessions.count, rebuys: rebuys)
    return model
  }

  /// The weight of an event at `ts` seen from `end`: it halves every `halfLife` days.
  static func decay(_ ts: Int64, to end: Int64, _ halfLife: Double) -> Float {
    Float(exp2(-Double(end - ts) / (halfLife * 86_400)))
  }

  /// The model's shared part from each item's popularity and windows: the categories' facts,
  /// the best sellers, and the popular, trending, seasonal and per-category heads (without
  /// neighbour lists or profiles).
  static func assemble(
    popularity: [Float], windows: Windows, catalogue: Catalogue,
    rebuy: [(rate: Float, days: Float)], settings: TrainingSettings
  ) -> Model {
    let count = popularity.count
    // Heads per category: its items by their share of its interest.
    var byCategory = [[Int32]](repeating: [], count: catalogue.categories.count)
    var categoryTotals = [Float](repeating: 0, count: catalogue.categories.count)
    for item in 0..<count where catalogue.category[item] >= 0 {
      byCategory[Int(catalogue.category[item])].append(Int32(item))
      categoryTotals[Int(catalogue.category[item])] += popularity[item]
    }
    func head(_ items: [Int32], _ scores: [Float], _ limit: Int, divisor: Float = 1) -> Head {
      Array(items.sorted { (scores[Int($0)], $1) > (scores[Int($1)], $0) }.prefix(limit)).map {
        (item: $0, score: scores[Int($0)] / max(divisor, 1e-9))
      }
    }
    let all = (0..<count).map(Int32.init)
    return Model(
      category: catalogue.category, brand: catalogue.brand,
      categories: Self.categoryFacts(popularity, catalogue, rebuy: rebuy),
      bestsellers: windows.bestsellers(catalogue.category),
      popular: head(all, popularity, 500), trending: head(all, windows.trending(), 500),
      seasonal: head(all, windows.lastYear, 500).filter { $0.score > 0 },
      categoryHeads: byCategory.indices.map { category in
        head(
          byCategory[category], popularity, settings.categoryHead,
          divisor: categoryTotals[category])
      },
      similar: Lists(), complements: Lists(), userIndex: [:], profiles: [], end: windows.end)
  }

  /// Each category's share of interest, overall and within its top level, and its re-buy
  /// rate and cycle.
  static func categoryFacts(
    _ popularity: [Float], _ catalogue: Catalogue, rebuy: [(rate: Float, days: Float)]
  ) -> [CategoryFacts] {
    var totals = [Float](repeating: 0, count: catalogue.categories.count)
    for item in popularity.indices where catalogue.category[item] >= 0 {
      totals[Int(catalogue.category[item])] += popularity[item]
    }
    let all = max(totals.reduce(0, +), 1e-9)
    var tops: [String: Int32] = [:]
    let topOf = catalogue.categories.map { name in
      let top = String(name.split(separator: ">", maxSplits: 1).first ?? "")
        .trimmingCharacters(in: .whitespaces)
      if let known = tops[top] { return known }
      tops[top] = Int32(tops.count)
      return Int32(tops.count - 1)
    }
    var topTotals = [Float](repeating: 0, count: tops.count)
    for (category, top) in topOf.enumerated() { topTotals[Int(top)] += totals[category] }
    return catalogue.categories.indices.map { category in
      CategoryFacts(
        name: catalogue.categories[category], top: topOf[category],
        share: totals[category] / all,
        shareOfTop: totals[category] / max(topTotals[Int(topOf[category])], 1e-9),
        rebuyRate: rebuy.indices.contains(category) ? rebuy[category].rate : 0,
        rebuyDays: rebuy.indices.contains(category) ? rebuy[category].days : 0)
    }
  }
}
