import Foundation

/// Each item's events in the windows that trending, seasonal and best sellers read, counted a
/// day at a time: a full training adds its events, a training that adds a day to a stored model
/// adds the day rollups (which outlive the raw events), and both get the same figures.
struct Windows {
  let end: Int64
  let settings: TrainingSettings
  /// The last `trendingDays` (halving every 3 days), the `baselineWeeks` before them, the
  /// `seasonDays` from the same date a year before, and purchases over the last 30 days.
  private(set) var recent: [Float]
  private(set) var earlier: [Float]
  private(set) var lastYear: [Float]
  private(set) var units: [Float]
  private let recentDay: Int64
  private let baselineDay: Int64
  private let season: Range<Int64>
  private let unitsDay: Int64

  init(end: Int64, count: Int, settings: TrainingSettings) {
    self.end = end
    self.settings = settings
    recent = Array(repeating: 0, count: count)
    earlier = recent
    lastYear = recent
    units = recent
    let recentStart = end - Int64(settings.trendingDays * 86_400)
    recentDay = recentStart / 86_400
    baselineDay = (recentStart - Int64(settings.baselineWeeks * 7 * 86_400)) / 86_400
    let yearBefore = (end - 365 * 86_400) / 86_400
    season = yearBefore..<(yearBefore + Int64(settings.seasonDays))
    unitsDay = (end - 30 * 86_400) / 86_400
  }

  /// The days whose events these windows count (a year before included).
  var days: [ClosedRange<Int64>] {
    [season.lowerBound...(season.upperBound - 1), min(baselineDay, unitsDay)...(end / 86_400)]
  }

  /// Counts an item's events of one day: their weight (views 1, carts 3, purchases 5) and
  /// purchases.
  mutating func add(day: Int64, item: Int32, weight: Float, purchases: Float) {
    let index = Int(item)
    if day >= recentDay {
      // The middle of the day, or the end when the day is the last.
      let ts = min(day * 86_400 + 43_200, end)
      recent[index] += weight * Model.decay(ts, to: end, 3)
    } else if day >= baselineDay {
      earlier[index] += weight
    }
    if season.contains(day) { lastYear[index] += weight }
    if day >= unitsDay { units[index] += purchases }
  }

  /// The recent rate, times how far it rose above the product's own (capped at 10).
  func trending() -> [Float] {
    recent.indices.map { item in
      let baseline = earlier[item] / Float(settings.baselineWeeks)
      return recent[item] * min((recent[item] + 5) / (baseline + 5), 10)
    }
  }

  /// The items in the top tenth of their category (at least one) by purchases over the last 30
  /// days, among those bought.
  func bestsellers(_ category: [Int32]) -> Set<Int32> {
    var byCategory: [Int32: [(Int32, Float)]] = [:]
    for (item, count) in units.enumerated() where count > 0 && category[item] >= 0 {
      byCategory[category[item], default: []].append((Int32(item), count))
    }
    var result = Set<Int32>()
    for items in byCategory.values {
      let ranked = items.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
      result.formUnion(ranked.prefix(max(1, ranked.count / 10)).map(\.0))
    }
    return result
  }
}
