import Analytics
import Foundation

/// The constants training uses, in one place (documented in `mkt recs train --help`).
struct TrainingSettings: Sendable {
  /// Interest in a product halves every this many days (popularity, profiles).
  var halfLifeDays = 10.0
  /// A user's recent interest halves faster: what they look at this week matters most.
  var profileHalfLifeDays = 3.0
  /// The window trending compares with the product's own earlier rate.
  var trendingDays = 7.0
  /// Seasonal looks at this many days from the same date a year before.
  var seasonDays = 14.0
  /// Neighbours kept per product (collaborative, cross-sell).
  var neighbours = 40
  /// Two events of one user count together when at most this many products apart.
  var window = 5
  /// Two events of one user count together when this close in time (seconds).
  var windowSeconds: Int64 = 3 * 86_400
  /// Products kept per category, per profile, in the heads.
  var categoryHead = 200
  var profileItems = 30
  var profileCategories = 5
  /// A category is a consumable when at least this share of its repeat buyers buy a product
  /// again.
  var rebuyShare: Float = 0.05
}

extension Model {
  /// Learns the model from `data` and the catalog.
  static func train(_ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings)
    -> Model
  {
    let end = data.end
    let count = data.items.count
    func decay(_ ts: Int64, halfLife: Double) -> Float {
      Float(exp2(-Double(end - ts) / (halfLife * 86_400)))
    }
    // Popularity and trend.
    var popularity = [Float](repeating: 0, count: count)
    var recent = [Float](repeating: 0, count: count)
    var earlier = [Float](repeating: 0, count: count)
    let recentStart = end - Int64(settings.trendingDays * 86_400)
    var first = end
    // Seasonal: the weeks ahead, a year before.
    var lastYear = [Float](repeating: 0, count: count)
    let season = (end - 365 * 86_400)..<(end - 365 * 86_400 + Int64(settings.seasonDays * 86_400))
    for index in data.item.indices {
      let item = Int(data.item[index])
      let weight = data.kind[index].weight
      popularity[item] += weight * decay(data.ts[index], halfLife: settings.halfLifeDays)
      if data.ts[index] >= recentStart {
        recent[item] += weight
      } else {
        earlier[item] += weight
      }
      first = min(first, data.ts[index])
      if season.contains(data.ts[index]) { lastYear[item] += weight }
    }
    let earlierWeeks = max(Double(recentStart - first) / (settings.trendingDays * 86_400), 1)
    let trending = (0..<count).map { item in
      let baseline = earlier[item] / Float(earlierWeeks)
      return recent[item] * log2(1 + recent[item]) / (baseline + 3)
    }
    // Heads per category.
    func head(_ items: [Int32], _ scores: [Float], _ limit: Int) -> Head {
      Array(items.sorted { (scores[Int($0)], $1) > (scores[Int($1)], $0) }.prefix(limit)).map {
        (item: $0, score: scores[Int($0)])
      }
    }
    var byCategory = [[Int32]](repeating: [], count: catalogue.categories.count)
    for item in 0..<count where catalogue.category[item] >= 0 {
      byCategory[Int(catalogue.category[item])].append(Int32(item))
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
      category: catalogue.category, brand: catalogue.brand,
      categoryNames: catalogue.categories, popular: head(all, popularity, 500),
      trending: head(all, trending, 500),
      seasonal: head(all, lastYear, 500).filter { $0.score > 0 },
      categoryHeads: byCategory.map { head($0, popularity, settings.categoryHead) },
      similar: Self.coVisits(data, settings), complements: Self.crossSells(data, settings),
      rebuyDays: Self.rebuyCycles(data, catalogue, settings), userIndex: userIndex,
      profiles: profiles, end: end)
  }

  /// Item-item similarity from co-visits: two products met by one user within a few events and
  /// days count together (weighted by the weaker signal), normalised as a cosine.
  static func coVisits(_ data: Interactions, _ settings: TrainingSettings) -> Lists {
    var pairs: [UInt64: Float] = [:]
    var totals = [Float](repeating: 0, count: data.items.count)
    for user in data.users.indices {
      let range = data.events(of: user)
      // Consecutive events of one product count once, with their strongest signal.
      var visits: [(item: Int32, ts: Int64, weight: Float)] = []
      for index in range {
        let weight = data.kind[index].weight
        if let last = visits.last, last.item == data.item[index] {
          visits[visits.count - 1].weight = max(last.weight, weight)
          continue
        }
        visits.append((data.item[index], data.ts[index], weight))
      }
      for (position, visit) in visits.enumerated() {
        totals[Int(visit.item)] += visit.weight
        for other in visits[(position + 1)..<min(visits.count, position + 1 + settings.window)] {
          guard other.ts - visit.ts <= settings.windowSeconds else { break }
          guard other.item != visit.item else { continue }
          let weight = min(visit.weight, other.weight)
          pairs[Self.pair(visit.item, other.item), default: 0] += weight
          pairs[Self.pair(other.item, visit.item), default: 0] += weight
        }
      }
    }
    return Self.lists(pairs, count: data.items.count, keep: settings.neighbours) {
      from, to, weight in
      weight / (totals[Int(from)] * totals[Int(to)]).squareRoot()
    }
  }

  /// "Bought together": a product carted or bought, then another viewed, carted or bought in
  /// the same session; scored by confidence, kept where the lift is above 1.
  static func crossSells(_ data: Interactions, _ settings: TrainingSettings) -> Lists {
    var pairs: [UInt64: Float] = [:]
    var baskets = [Float](repeating: 0, count: data.items.count)
    var seen = [Float](repeating: 0, count: data.items.count)
    var sessions: Float = 0
    for user in data.users.indices {
      var start = data.starts[user]
      let end = data.starts[user + 1]
      while start < end {
        var stop = start
        while stop < end, data.session[stop] == data.session[start] { stop += 1 }
        sessions += 1
        var carted: [Int32] = []
        var met = Set<Int32>()
        for index in start..<stop {
          let item = data.item[index]
          if met.insert(item).inserted { seen[Int(item)] += 1 }
          for source in carted where source != item {
            pairs[Self.pair(source, item), default: 0] += 1
          }
          if data.kind[index] != .view, !carted.contains(item) {
            carted.append(item)
            baskets[Int(item)] += 1
          }
        }
        start = stop
      }
    }
    return Self.lists(pairs, count: data.items.count, keep: settings.neighbours) {
      from, to, count in
      let confidence = count / baskets[Int(from)]
      let lift = confidence / (seen[Int(to)] / sessions)
      return lift > 1 && count >= 2 ? confidence : 0
    }
  }

  private static func pair(_ from: Int32, _ to: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))
  }

  /// The best `keep` targets of each item, by `score` (zero scores dropped).
  private static func lists(
    _ pairs: [UInt64: Float], count: Int, keep: Int,
    score: (Int32, Int32, Float) -> Float
  ) -> Lists {
    var perItem = [[(Int32, Float)]](repeating: [], count: count)
    for (key, value) in pairs {
      let from = Int32(bitPattern: UInt32(key >> 32))
      let to = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
      let scored = score(from, to, value)
      if scored > 0 { perItem[Int(from)].append((to, scored)) }
    }
    var lists = Lists()
    for list in perItem {
      lists.append(Array(list.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(keep)))
    }
    return lists
  }

  /// Per category, the median days between two purchases of one product by one user, where
  /// enough of its buyers buy again (else 0).
  static func rebuyCycles(
    _ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings
  )
    -> [Float]
  {
    let count = catalogue.categories.count
    var buyers = [Float](repeating: 0, count: count)
    var again = [Float](repeating: 0, count: count)
    var gaps = [[Float]](repeating: [], count: count)
    for user in data.users.indices {
      var last: [Int32: Int64] = [:]
      var counted = Set<Int32>()
      for index in data.events(of: user) where data.kind[index] == .purchase {
        let item = data.item[index]
        let category = catalogue.category[Int(item)]
        guard category >= 0 else { continue }
        if counted.insert(item).inserted { buyers[Int(category)] += 1 }
        if let previous = last[item], data.ts[index] - previous > 86_400 {
          gaps[Int(category)].append(Float(data.ts[index] - previous) / 86_400)
          again[Int(category)] += 1
        }
        last[item] = data.ts[index]
      }
    }
    return (0..<count).map { category in
      guard buyers[category] > 0, again[category] / buyers[category] >= settings.rebuyShare,
        !gaps[category].isEmpty
      else { return 0 }
      let sorted = gaps[category].sorted()
      return sorted[sorted.count / 2]
    }
  }

  static func profile(
    _ user: Int, _ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings,
    decay: (Int64, Double) -> Float
  ) -> Profile {
    var interest: [Int32: Float] = [:]
    var baskets: [Int32: Float] = [:]
    var categories: [Int32: Float] = [:]
    var purchases: [Int32: (last: Int64, count: Int32)] = [:]
    for index in data.events(of: user) {
      let item = data.item[index]
      let kind = data.kind[index]
      let weight = kind.weight * decay(data.ts[index], settings.profileHalfLifeDays)
      interest[item, default: 0] += weight
      if kind != .view { baskets[item, default: 0] += weight }
      let category = catalogue.category[Int(item)]
      if category >= 0 {
        categories[category, default: 0] +=
          kind.weight * decay(data.ts[index], settings.halfLifeDays)
      }
      if kind == .purchase {
        let known = purchases[item]
        purchases[item] = (data.ts[index], (known?.count ?? 0) + 1)
      }
    }
    func head<K: Comparable>(_ map: [K: Float], _ limit: Int) -> [(K, Float)] {
      Array(map.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)).map {
        ($0.key, $0.value)
      }
    }
    return Profile(
      recent: head(interest, settings.profileItems).map { (item: $0.0, weight: $0.1) },
      baskets: head(baskets, 10).map { (item: $0.0, weight: $0.1) },
      categories: head(categories, settings.profileCategories).map {
        (category: $0.0, weight: $0.1)
      },
      purchases: purchases.sorted { $0.key < $1.key }.map {
        (item: $0.key, last: $0.value.last, count: $0.value.count)
      },
      country: data.country[user])
  }
}
