import Analytics
import Foundation

extension Model {
  /// Per category, the share of first purchases followed by another of the same product by the
  /// same shopper more than 2 days later, and the median days between, where at least
  /// `rebuyMinimumRepeats` repeats tell it (else 0 and 0).
  static func rebuyCycles(
    _ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings
  ) -> [(rate: Float, days: Float)] {
    let count = catalogue.categories.count
    var firsts = [Float](repeating: 0, count: count)
    var gaps = [[Float]](repeating: [], count: count)
    for user in data.users.indices {
      var last: [Int32: Int64] = [:]
      for index in data.events(of: user) where data.kind[index] == .purchase {
        let item = data.item[index]
        let category = Int(catalogue.category[Int(item)])
        guard category >= 0 else { continue }
        let ts = data.ts[index]
        if let previous = last[item] {
          if ts - previous > 2 * 86_400 { gaps[category].append(Float(ts - previous) / 86_400) }
        } else {
          firsts[category] += 1
        }
        last[item] = ts
      }
    }
    return (0..<count).map { category in
      guard firsts[category] > 0, gaps[category].count >= settings.rebuyMinimumRepeats else {
        return (0, 0)
      }
      let sorted = gaps[category].sorted()
      return (Float(sorted.count) / firsts[category], sorted[sorted.count / 2])
    }
  }

  static func profile(
    _ user: Int, _ data: Interactions, _ catalogue: Catalogue, _ settings: TrainingSettings,
    decay: (Int64, Double) -> Float
  ) -> Profile {
    var interest: [Int32: Float] = [:]
    var baskets: [Int32: Float] = [:]
    var categories: [Int32: Float] = [:]
    var brands: [Int32: Float] = [:]
    var total: Float = 0
    var purchases: [Int32: (last: Int64, count: Int32)] = [:]
    for index in data.events(of: user) {
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
      country: data.country[user])
  }
}
