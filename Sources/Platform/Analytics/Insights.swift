import Foundation
import GRDB
import MktCore
import Store

/// A number that moved between two periods.
public struct Movement: Sendable, Equatable, Encodable {
  public var metric: String
  public var now: Double
  public var before: Double
  /// (now − before) ÷ before; `nil` when before is 0.
  public var change: Double?
}

/// What `mkt report insights` tells a person: what moved, what stood out, what to do.
public struct Insights: Sendable, Equatable, Encodable {
  public var from: String
  public var to: String
  public var comparedWith: String
  public var movements: [Movement]
  public var anomalies: [Anomaly]
  /// Suggestions in plain words, each with its evidence.
  public var suggestions: [String]

  enum CodingKeys: String, CodingKey {
    case from, to, movements, anomalies, suggestions
    case comparedWith = "compared_with"
  }
}

extension AnalyticsService {
  /// The last `days` days against the `days` before: the five numbers that moved most, the
  /// anomalies of conversion, traffic and revenue, and suggestions drawn from searches without
  /// results, products viewed and not bought, stock that ran out, and the funnel.
  ///
  /// - Throws: ``AnalyticsError`` for bad days.
  public func insights(days: Int = 7) async throws -> Insights? {
    let range = try await store.read { db in try ReportFilter().days(db) }
    guard let range else { return nil }
    let last = range.upperBound
    let from = last - Int64(days) + 1
    let before = ReportFilter(
      from: Analytics.dayText(from - Int64(days)), to: Analytics.dayText(from - 1))
    let now = ReportFilter(from: Analytics.dayText(from), to: Analytics.dayText(last))
    let current = try await overview(now, by: .month).rows
    let previous = try await overview(before, by: .month).rows
    func total(_ rows: [OverviewRow], _ value: (OverviewRow) -> Double) -> Double {
      rows.reduce(0) { $0 + value($1) }
    }
    let metrics: [(String, (OverviewRow) -> Double)] = [
      ("sessions", { Double($0.sessions) }), ("page views", { Double($0.pageViews) }),
      ("product views", { Double($0.productViews) }), ("carts", { Double($0.addToCart) }),
      ("purchases", { Double($0.purchases) }), ("revenue (as given)", \.revenue),
      ("searches", { Double($0.searches) }),
    ]
    var movements = metrics.map { name, value in
      let (a, b) = (total(current, value), total(previous, value))
      return Movement(metric: name, now: a, before: b, change: b > 0 ? (a - b) / b : nil)
    }
    let conversion = { (rows: [OverviewRow]) -> Double in
      let sessions = total(rows) { Double($0.sessions) }
      return sessions > 0 ? total(rows) { Double($0.purchaseSessions) } / sessions : 0
    }
    let (c1, c0) = (conversion(current), conversion(previous))
    movements.append(
      Movement(metric: "conversion", now: c1, before: c0, change: c0 > 0 ? (c1 - c0) / c0 : nil))
    movements.sort { abs($0.change ?? 0) > abs($1.change ?? 0) }
    var anomalies: [Anomaly] = []
    for metric in [AnomalyMetric.conversion, .traffic, .revenue] {
      anomalies += try await self.anomalies(metric: metric, sinceDays: days).rows.prefix(3)
    }
    anomalies.sort { abs($0.score) > abs($1.score) }
    let suggestions = try await store.read { db in
      try Self.suggestions(db, from: from, to: last)
    }
    return Insights(
      from: Analytics.dayText(from), to: Analytics.dayText(last),
      comparedWith: "\(before.from ?? "") to \(before.to ?? "")",
      movements: Array(movements.prefix(5)), anomalies: Array(anomalies.prefix(5)),
      suggestions: suggestions)
  }

  static func suggestions(_ db: Database, from: Int64, to: Int64) throws -> [String] {
    var suggestions: [String] = []
    // Searches without a result, by country.
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, coalesce(c.name, '') AS country, sum(q.zero_results) AS zero_results,
          sum(q.searches) AS searches
        FROM analytics_query_day q JOIN analytics_name n ON n.id = q.query
          LEFT JOIN analytics_name c ON c.id = q.country
        WHERE q.day BETWEEN ? AND ? GROUP BY q.query, q.country HAVING sum(q.zero_results) > 0
        ORDER BY sum(q.zero_results) DESC LIMIT 3
        """, arguments: [from, to])
    {
      let country: String = row["country"]
      suggestions.append(
        "search \"\(row["name"] as String)\" had \(row["searches"] as Int64) searches and "
          + "\(row["zero_results"] as Int64) "
          + "without a result\(country.isEmpty ? "" : " in \(country)"): add a synonym "
          + "(mkt search synonyms load) or products shoppers can find under it")
    }
    // Viewed most, never bought.
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, sum(p.views) AS views, sum(p.carts) AS carts FROM analytics_product_day p
        JOIN analytics_name n ON n.id = p.product WHERE p.day BETWEEN ? AND ?
        GROUP BY p.product HAVING sum(p.purchases) = 0
        ORDER BY sum(p.views) DESC LIMIT 3
        """, arguments: [from, to])
    where (row["views"] as Int64) >= 10 {
      suggestions.append(
        "\(row["name"] as String) was viewed \(row["views"] as Int64) times, added to carts "
          + "\(row["carts"] as Int64) times, and never bought: check its price, stock and images")
    }
    // Out of stock everywhere, yet viewed.
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT s.sku, sum(s.on_hand + coalesce((SELECT sum(r.quantity) FROM reservation r
            WHERE r.merchant_id = s.merchant_id AND r.sku = s.sku
              AND r.warehouse_id = s.warehouse_id), 0)) AS available,
          (SELECT sum(p.views) FROM analytics_product_day p JOIN analytics_name n
            ON n.id = p.product WHERE n.name = s.sku AND p.day BETWEEN ? AND ?) AS views
        FROM stock s GROUP BY s.sku HAVING available <= 0 AND views > 0
        ORDER BY views DESC LIMIT 3
        """, arguments: [from, to])
    {
      suggestions.append(
        "\(row["sku"] as String) is out of stock in every warehouse and was viewed "
          + "\(row["views"] as Int64) times: reorder it (mkt inventory reorder)")
    }
    return suggestions
  }
}
