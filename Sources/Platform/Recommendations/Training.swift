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
  /// Learns the model from `data` and the catalog.
  static func train(_ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings)
    -> Model
  {
    let end = data.end
    let count = data.items.count
    func decay(_ ts: Int64, _ halfLife: Double) -> Float {
      Float(exp2(-Double(end - ts) / (halfLife * 86_400)))
    }
    var popularity = [Float](repeating: 0, count: count)
    var recent = [Float](repeating: 0, count: count)
    var earlier = [Float](repeating: 0, count: count)
    let recentStart = end - Int64(settings.trendingDays * 86_400)
    let baselineStart = recentStart - Int64(settings.baselineWeeks * 7 * 86_400)
    // Seasonal: the weeks ahead, a year before.
    var lastYear = [Float](repeating: 0, count: count)
    let season = (end - 365 * 86_400)..<(end - 365 * 86_400 + Int64(settings.seasonDays * 86_400))
    for index in data.item.indices {
      let item = Int(data.item[index])
      let weight = data.kind[index].weight
      let ts = data.ts[index]
      popularity[item] += weight * decay(ts, settings.halfLifeDays)
      if ts >= recentStart {
        recent[item] += weight * decay(ts, 3)
      } else if ts >= baselineStart {
        earlier[item] += weight
      }
      if season.contains(ts) { lastYear[item] += weight }
    }
    // Trend: the recent rate, times how far it rose above the product's own (capped at 10).
    let trending = (0..<count).map { item in
      let baseline = earlier[item] / Float(settings.baselineWeeks)
      return recent[item] * min((recent[item] + 5) / (baseline + 5), 10)
    }
    let categories = Self.categoryFacts(popularity, data, catalogue, settings)
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
    var profiles: [Profile] = []
    profiles.reserveCapacity(data.users.count)
    for user in data.users.indices {
      profiles.append(Self.profile(user, data, catalogue, settings, decay: decay))
    }
    var userIndex: [Int64: Int32] = [:]
    userIndex.reserveCapacity(data.users.count)
    for (index, key) in data.users.enumerated() { userIndex[key] = Int32(index) }
    let all = (0..<count).map(Int32.init)
    return Model(
      category: catalogue.category, brand: catalogue.brand, categories: categories,
      bestsellers: Self.bestsellers(data, catalogue),
      popular: head(all, popularity, 500), trending: head(all, trending, 500),
      seasonal: head(all, lastYear, 500).filter { $0.score > 0 },
      categoryHeads: byCategory.indices.map { category in
        head(
          byCategory[category], popularity, settings.categoryHead,
          divisor: categoryTotals[category])
      },
      similar: Self.coVisits(data, settings), complements: Self.crossSells(data, settings),
      userIndex: userIndex, profiles: profiles, end: end)
  }

  /// Each category's share of interest, overall and within its top level, and its re-buy
  /// rate and cycle.
  static func categoryFacts(
    _ popularity: [Float], _ data: Interactions, _ catalogue: Catalogue,
    _ settings: TrainingSettings
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
    let rebuy = Self.rebuyCycles(data, catalogue, settings)
    return catalogue.categories.indices.map { category in
      CategoryFacts(
        name: catalogue.categories[category], top: topOf[category],
        share: totals[category] / all,
        shareOfTop: totals[category] / max(topTotals[Int(topOf[category])], 1e-9),
        rebuyRate: rebuy[category].rate, rebuyDays: rebuy[category].days)
    }
  }

  /// The items in the top tenth of their category (at least one) by purchases over the last 30
  /// days, among those bought.
  static func bestsellers(_ data: Interactions, _ catalogue: Catalogue) -> Set<Int32> {
    let since = data.end - 30 * 86_400
    var units: [Int32: Int] = [:]
    for index in data.item.indices where data.kind[index] == .purchase && data.ts[index] >= since {
      units[data.item[index], default: 0] += 1
    }
    var byCategory: [Int32: [(Int32, Int)]] = [:]
    for (item, count) in units where catalogue.category[Int(item)] >= 0 {
      byCategory[catalogue.category[Int(item)], default: []].append((item, count))
    }
    var result = Set<Int32>()
    for items in byCategory.values {
      let ranked = items.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
      result.formUnion(ranked.prefix(max(1, ranked.count / 10)).map(\.0))
    }
    return result
  }
}
