import Foundation
import GRDB
import MktCore
import Store

/// What `report anomalies` watches.
public enum AnomalyMetric: String, Sendable, CaseIterable {
  case conversion, revenue, traffic
  case zeroResults = "zero-results"
}

/// A day whose metric left its seasonal baseline, overall or in one segment.
public struct Anomaly: Sendable, Equatable, Encodable {
  public var day: String
  public var metric: String
  /// `all`, or the segment: `country=DE`, `channel=social`, `merchant=acme-de`.
  public var scope: String
  public var value: Double
  /// The median of the same weekday over the weeks before.
  public var baseline: Double
  /// (value − baseline) ÷ the noise (1.4826 × MAD, at least the sampling noise of the day's
  /// volume).
  public var score: Double
  /// The segments that moved most with it (for an anomaly of `all`), largest share first.
  public var explainedBy: [String]

  enum CodingKeys: String, CodingKey {
    case day, metric, scope, value, baseline, score
    case explainedBy = "explained_by"
  }
}

/// Numerators and denominators of a metric, per scope and day, as `series` adds them up.
private struct AnomalySums {
  var sums: [String: [Int64: (Double, Double)]] = [:]

  mutating func add(_ scope: String, _ day: Int64, _ numerator: Double, _ denominator: Double) {
    var entry = sums[scope, default: [:]][day] ?? (0, 0)
    entry.0 += numerator
    entry.1 += denominator
    sums[scope, default: [:]][day] = entry
  }
}

extension AnalyticsService {
  /// Days of the last `sinceDays` whose metric is at least `threshold` robust z-scores away from
  /// the same weekday's median over up to 8 weeks before (3 at least), overall and per country,
  /// channel and merchant; strongest first.
  ///
  /// The noise is 1.4826 × the median absolute deviation of those weeks, but never less than the
  /// sampling noise of the day's volume (binomial for conversion, Poisson for counts), so a
  /// small segment's chance swings are not anomalies.
  ///
  /// - Throws: ``AnalyticsError`` for bad days.
  public func anomalies(
    metric: AnomalyMetric, sinceDays: Int = 14, threshold: Double = 4.5,
    filter: ReportFilter = ReportFilter()
  ) async throws -> Report<Anomaly> {
    try await store.read { db in
      guard let stored = try filter.days(db) else { return Report(rows: [], notes: []) }
      let last = stored.upperBound
      let first = last - Int64(sinceDays) + 1
      let series = try Self.series(metric, from: first - 56, to: last, filter, db)
      var found: [Anomaly] = []
      var compared = 0
      for (scope, days) in series {
        for day in max(first, stored.lowerBound)...last {
          guard let today = days[day] else { continue }
          let history = (1...8).compactMap { days[day - Int64(7 * $0)] }
          guard history.count >= 3 else { continue }
          if scope == "all" { compared += 1 }
          // Revenue is a sum of few, very unequal orders: compared on a log scale.
          let scale: (Double) -> Double = metric == .revenue ? { log1p(max($0, 0)) } : { $0 }
          let values = history.map { scale($0.value) }
          let median = Self.median(values)
          if metric == .revenue && history.filter({ $0.value > 0 }).count < 3 { continue }
          let mad = Self.median(values.map { abs($0 - median) })
          let sampling = Self.samplingNoise(metric, baseline: median, volume: today.volume)
          let noise = max(1.4826 * mad, sampling, 1e-9)
          let score = (scale(today.value) - median) / noise
          guard abs(score) >= threshold else { continue }
          found.append(
            Anomaly(
              day: Analytics.dayText(day), metric: metric.rawValue, scope: scope,
              value: today.value, baseline: metric == .revenue ? expm1(median) : median,
              score: score, explainedBy: []))
        }
      }
      found.sort { (abs($0.score), $1.day, $1.scope) > (abs($1.score), $0.day, $0.scope) }
      // An anomaly of the whole is explained by the segments anomalous the same day, in the
      // same direction.
      for index in found.indices where found[index].scope == "all" {
        found[index].explainedBy = found.filter {
          $0.day == found[index].day && $0.scope != "all"
            && ($0.score > 0) == (found[index].score > 0)
        }.map(\.scope)
      }
      var notes: [String] = []
      if compared == 0 {
        notes.append(
          "no day of the period has 3 earlier weeks of events to compare with: nothing to judge")
      }
      if metric == .zeroResults {
        notes.append("searches without a result are those whose events say results: 0")
      }
      if metric == .revenue && filter.currency == nil {
        notes.append("revenue adds amounts as given: --currency EUR converts them first")
      }
      return Report(rows: found, notes: notes)
    }
  }

  /// A day's value of a metric in one scope, and the volume behind it.
  struct Point {
    var value: Double
    var volume: Double
  }

  /// Per scope (`all`, `country=DE`, …), per day: the metric.
  static func series(
    _ metric: AnomalyMetric, from: Int64, to: Int64, _ filter: ReportFilter, _ db: Database
  ) throws -> [String: [Int64: Point]] {
    var sums = AnomalySums()
    if metric == .zeroResults {
      try Self.addZeroResults(from: from, to: to, db, into: &sums)
    } else {
      try Self.addSessions(metric, from: from, to: to, filter, db, into: &sums)
    }
    return sums.sums.mapValues { days in
      days.mapValues { numerator, denominator in
        switch metric {
        case .conversion:
          Point(value: denominator > 0 ? numerator / denominator : 0, volume: denominator)
        case .zeroResults: Point(value: numerator, volume: denominator)
        default: Point(value: numerator, volume: denominator)
        }
      }
    }
  }

  /// Adds searches without a result over searches, overall and per country.
  private static func addZeroResults(
    from: Int64, to: Int64, _ db: Database, into sums: inout AnomalySums
  ) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT q.day, coalesce(n.name, '') AS country, sum(q.zero_results) AS zero_results,
          sum(q.searches) AS searches
        FROM analytics_query_day q LEFT JOIN analytics_name n ON n.id = q.country
        WHERE q.day BETWEEN ? AND ? GROUP BY q.day, q.country
        """, arguments: [from, to])
    {
      let zero = Double(row["zero_results"] as Int64)
      sums.add("all", row["day"], zero, row["searches"])
      let country: String = row["country"]
      if !country.isEmpty { sums.add("country=" + country, row["day"], zero, row["searches"]) }
    }
  }

  /// Adds the session metric (conversion, traffic or revenue) over sessions, overall and per
  /// merchant, country and channel.
  private static func addSessions(
    _ metric: AnomalyMetric, from: Int64, to: Int64, _ filter: ReportFilter, _ db: Database,
    into sums: inout AnomalySums
  ) throws {
    let segments = try filter.segmentCondition(db, column: "d.segment").map { " AND " + $0 } ?? ""
    let value =
      switch metric {
      case .conversion: "sum(d.purchase_sessions) AS numerator, sum(d.sessions) AS denominator"
      case .traffic: "sum(d.sessions) AS numerator, sum(d.sessions) AS denominator"
      default: "0 AS numerator, sum(d.sessions) AS denominator"
      }
    var revenue: [Int64: [Int64: Double]] = [:]
    if metric == .revenue { revenue = try Self.dailyRevenue(from: from, to: to, filter, db) }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT d.day, coalesce(m.name, '') AS merchant, coalesce(c.name, '') AS country,
          coalesce(h.name, '') AS channel, \(value), d.segment
        FROM analytics_day d JOIN analytics_segment s ON s.id = d.segment
          LEFT JOIN analytics_name m ON m.id = s.merchant
          LEFT JOIN analytics_name c ON c.id = s.country
          LEFT JOIN analytics_name h ON h.id = s.channel
        WHERE d.day BETWEEN ? AND ?\(segments)
        GROUP BY d.day, d.segment
        """, arguments: [from, to])
    {
      let day: Int64 = row["day"]
      let numerator =
        metric == .revenue
        ? revenue[day]?[row["segment"] as Int64] ?? 0 : Double(row["numerator"] as Int64)
      let denominator = Double(row["denominator"] as Int64)
      sums.add("all", day, numerator, denominator)
      for dimension in ["merchant", "country", "channel"] {
        let name: String = row[dimension]
        if !name.isEmpty { sums.add("\(dimension)=\(name)", day, numerator, denominator) }
      }
    }
  }

  /// Revenue per day and segment, converted at each day's rate with --currency.
  private static func dailyRevenue(
    from: Int64, to: Int64, _ filter: ReportFilter, _ db: Database
  ) throws -> [Int64: [Int64: Double]] {
    var revenue: [Int64: [Int64: Double]] = [:]
    var rates = filter.currency.map(DayRates.init(target:))
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT r.day, r.segment, coalesce(n.name, '') AS currency, r.amount_minor
        FROM analytics_revenue r LEFT JOIN analytics_name n ON n.id = r.currency
        WHERE r.day BETWEEN ? AND ?
        """, arguments: [from, to])
    {
      let day: Int64 = row["day"]
      var amount: Int64 = row["amount_minor"]
      if var converter = rates {
        amount = try converter.convert(amount, row["currency"], day: day, db)
        rates = converter
      }
      revenue[day, default: [:]][row["segment"] as Int64, default: 0] += Double(amount) / 100
    }
    return revenue
  }

  /// The noise of a day's value from its volume alone: binomial for a rate, Poisson (and a
  /// twentieth of the baseline) for a count, a quarter of the baseline for revenue.
  static func samplingNoise(_ metric: AnomalyMetric, baseline: Double, volume: Double) -> Double {
    switch metric {
    case .conversion:
      volume > 0 ? (max(baseline, 1 / volume) * (1 - baseline) / volume).squareRoot() : 1
    case .traffic: max(max(baseline, 1).squareRoot(), abs(baseline) / 20)
    case .zeroResults: max(baseline, 1).squareRoot()
    // On the log scale: a day at 1.65 times (or 0.6 times) the usual is within the noise.
    case .revenue: 0.5
    }
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
