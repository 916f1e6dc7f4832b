import Analytics
import Foundation

extension Model {
  /// Per category, the first purchases of a product by a shopper and the days between a
  /// purchase and the same shopper's next of the same product, where more than 2.
  struct Rebuys: Sendable {
    var firsts: [Float]
    var gaps: [[Float]]

    init(categories count: Int) {
      firsts = Array(repeating: 0, count: count)
      gaps = Array(repeating: [], count: count)
    }

    /// Counts a purchase of an item of `category` at `ts` by a shopper who last bought it at
    /// `previous`.
    mutating func add(category: Int32, ts: Int64, previous: Int64?) {
      let category = Int(category)
      guard category >= 0 else { return }
      if category >= firsts.count {
        firsts += repeatElement(0, count: category + 1 - firsts.count)
        gaps += repeatElement([], count: category + 1 - gaps.count)
      }
      if let previous {
        if ts - previous > 2 * 86_400 { gaps[category].append(Float(ts - previous) / 86_400) }
      } else {
        firsts[category] += 1
      }
    }

    /// Per category, the share of first purchases followed by another and the median days
    /// between, where at least `rebuyMinimumRepeats` repeats tell it (else 0 and 0).
    func cycles(_ settings: TrainingSettings) -> [(rate: Float, days: Float)] {
      firsts.indices.map { category in
        guard firsts[category] > 0, gaps[category].count >= settings.rebuyMinimumRepeats else {
          return (0, 0)
        }
        let sorted = gaps[category].sorted()
        return (Float(sorted.count) / firsts[category], sorted[sorted.count / 2])
      }
    }
  }

  /// The purchases and re-purchases of `data`, per category.
  static func rebuys(_ data: Interactions, _ catalogue: Catalogue) -> Rebuys {
    var rebuys = Rebuys(categories: catalogue.categories.count)
    for user in data.users.indices {
      var last: [Int32: Int64] = [:]
      for index in data.events(of: user) where data.kind[index] == .purchase {
        let item = data.item[index]
        rebuys.add(
          category: catalogue.category[Int(item)], ts: data.ts[index], previous: last[item])
        last[item] = data.ts[index]
      }
    }
    return rebuys
  }

  /// A user's profile from their events in `data`; given the profile a training made before,
  /// that one aged to `data.end` with the user's events after `after` added.
  static func profile(
    _ user: Int, _ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings,
    adding previous: Profile? = nil, after: Int64 = Int64.min
  ) -> Profile {
    var interest: [Int32: Float] = [:]
    var baskets: [Int32: Float] = [:]
    var categories: [Int32: Float] = [:]
    var brands: [Int32: Float] = [:]
    var total: Float = 0
    var purchases: [Int32: (last: Int64, count: Int32)] = [:]
    if let previous = previous?.aged(to: data.end, settings) {
      interest = Dictionary(previous.recent.map { ($0.item, $0.weight) }, uniquingKeysWith: +)
      baskets = Dictionary(previous.baskets.map { ($0.item, $0.weight) }, uniquingKeysWith: +)
      categories = Dictionary(
        previous.categories.map { ($0.category, $0.weight) }, uniquingKeysWith: +)
      brands = Dictionary(previous.brands.map { ($0.brand, $0.weight) }, uniquingKeysWith: +)
      total = previous.categoryTotal
      for purchase in previous.purchases {
        purchases[purchase.item] = (purchase.last, purchase.count)
      }
    }
    func decay(_ ts: Int64, _ halfLife: Double) -> Float {
      Model.decay(ts, to: data.end, halfLife)
    }
    for index in data.events(of: user) where data.ts[index] > after {
      let item = data.item[index]
      let kind = data.kind[index]
      let weight = kind.weight * decay(data.ts[index], settings.profileHalfLifeDays)
      interest[item, default: 0] += weight
      if kind != .view { baskets[item, default: 0] += weight }
      let affinity = kind.weight * decay(data.ts[index], settings.affinityHalfLifeDays)
      let category = catalogue.category[Int(item)]
      if category >= 0 {
        categories[category, default: 0] += affinity
        total += affinity
      }
      let brand = catalogue.brand[Int(item)]
      if brand >= 0 { brands[brand, default: 0] += affinity }
      if kind == .purchase {
        let known = purchases[item]
        purchases[item] = (data.ts[index], (known?.count ?? 0) + 1)
      }
    }
    func head(_ map: [Int32: Float], _ limit: Int) -> [(Int32, Float)] {
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
      categoryTotal: total,
      brands: head(brands, settings.profileBrands).map { (brand: $0.0, weight: $0.1) },
      purchases: purchases.sorted { $0.key < $1.key }.map {
        (item: $0.key, last: $0.value.last, count: $0.value.count)
      },
      country: data.country[user], asOf: data.end)
  }
}
