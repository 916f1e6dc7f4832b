import Foundation
import GRDB
import MktCore
import Store

/// One period of `mkt report overview`: the columns of the reference report (page views, product
/// views, carts, purchases, revenue, conversion = sessions with a purchase ÷ sessions, distinct
/// visitors), named as there, plus sessions.
public struct OverviewRow: Sendable, Equatable, Encodable {
  public var period: String
  public var pageViews: Int64
  public var productViews: Int64
  public var addToCart: Int64
  public var purchases: Int64
  public var revenue: Double
  public var conversionRate: Double
  public var visitors: Int64
  public var sessions: Int64
  public var viewSessions: Int64
  public var cartSessions: Int64
  public var purchaseSessions: Int64
  public var searches: Int64
  /// What `period` is: `day`, `week` or `month`, the JSON key of the period.
  public var periodName = "day"

  enum CodingKeys: String, CodingKey {
    case period
    case pageViews = "page_views"
    case productViews = "product_views"
    case addToCart = "add_to_cart"
    case purchases, revenue
    case conversionRate = "conversion_rate"
    case visitors, sessions, searches
    case viewSessions = "view_sessions"
    case cartSessions = "cart_sessions"
    case purchaseSessions = "purchase_sessions"
  }

  struct PeriodKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var period = encoder.container(keyedBy: PeriodKey.self)
    try period.encode(self.period, forKey: PeriodKey(stringValue: periodName))
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(pageViews, forKey: .pageViews)
    try container.encode(productViews, forKey: .productViews)
    try container.encode(addToCart, forKey: .addToCart)
    try container.encode(purchases, forKey: .purchases)
    try container.encode((revenue * 100).rounded() / 100, forKey: .revenue)
    try container.encode(conversionRate, forKey: .conversionRate)
    try container.encode(visitors, forKey: .visitors)
    try container.encode(sessions, forKey: .sessions)
    try container.encode(viewSessions, forKey: .viewSessions)
    try container.encode(cartSessions, forKey: .cartSessions)
    try container.encode(purchaseSessions, forKey: .purchaseSessions)
    try container.encode(searches, forKey: .searches)
  }
}

/// The rows of a report, and what a reader should know about them.
public struct Report<Row: Sendable & Encodable>: Sendable {
  public var rows: [Row]
  /// Notes for people (mixed currencies added as given, estimates).
  public var notes: [String]
}

extension AnalyticsService {
  /// Per period: the reference report's columns, from the rollups.
  ///
  /// Visitors of a day are exact; over a week or month they are the HyperLogLog estimate
  /// (standard error 0.81 %) when the report covers everyone or one country, else counted
  /// exactly from the days' visitor lists. Sessions are counted per day.
  ///
  /// - Throws: ``AnalyticsError`` for bad days; `LocalizationError.noRate` when `--currency`
  ///   needs a rate that is not stored.
  public func overview(_ filter: ReportFilter, by period: ReportPeriod = .day) async throws
    -> Report<OverviewRow>
  {
    try await store.read { db in
      guard let days = try filter.days(db) else { return Report(rows: [], notes: []) }
      let segments = try filter.segmentCondition(db, column: "segment").map { " AND " + $0 } ?? ""
      var rows: [String: OverviewRow] = [:]
      var order: [String] = []
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT day, sum(page_views) AS page_views, sum(product_views) AS product_views,
            sum(carts) AS carts, sum(purchases) AS purchases, sum(searches) AS searches,
            sum(sessions) AS sessions, sum(view_sessions) AS view_sessions,
            sum(cart_sessions) AS cart_sessions, sum(purchase_sessions) AS purchase_sessions,
            sum(visitors) AS visitors
          FROM analytics_day WHERE day BETWEEN ? AND ?\(segments)
          GROUP BY day ORDER BY day
          """, arguments: [days.lowerBound, days.upperBound])
      while let row = try cursor.next() {
        let label = period.label(row["day"])
        if rows[label] == nil {
          order.append(label)
          rows[label] = OverviewRow(
            period: label, pageViews: 0, productViews: 0, addToCart: 0, purchases: 0, revenue: 0,
            conversionRate: 0, visitors: 0, sessions: 0, viewSessions: 0, cartSessions: 0,
            purchaseSessions: 0, searches: 0, periodName: period.rawValue)
        }
        rows[label]?.pageViews += row["page_views"]
        rows[label]?.productViews += row["product_views"]
        rows[label]?.addToCart += row["carts"]
        rows[label]?.purchases += row["purchases"]
        rows[label]?.searches += row["searches"]
        rows[label]?.sessions += row["sessions"]
        rows[label]?.viewSessions += row["view_sessions"]
        rows[label]?.cartSessions += row["cart_sessions"]
        rows[label]?.purchaseSessions += row["purchase_sessions"]
        rows[label]?.visitors += row["visitors"]
      }
      var notes: [String] = []
      let revenue = try Self.revenue(db, filter, days: days, period: period, notes: &notes)
      if period != .day {
        let visitors = try Self.visitors(db, filter, days: days, period: period)
        for (label, count) in visitors { rows[label]?.visitors = count }
        if !filter.narrowed || (filter.merchant == nil && filter.channel == nil) {
          notes.append(
            "visitors over a \(period.rawValue) are a HyperLogLog estimate (standard error 0.81 %)")
        }
      }
      return Report(
        rows: order.compactMap { label in
          guard var row = rows[label] else { return nil }
          row.revenue = revenue[label]?.total ?? 0
          row.conversionRate = Self.rate(row.purchaseSessions, row.sessions)
          return row
        }, notes: notes)
    }
  }

  /// `part / whole` rounded to 4 decimals, as the reference rounds; 0 for an empty whole.
  static func rate(_ part: Int64, _ whole: Int64) -> Double {
    whole == 0 ? 0 : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
  }

  /// Revenue per period label, as given or converted; notes mixed currencies.
  static func revenue(
    _ db: Database, _ filter: ReportFilter, days: ClosedRange<Int64>, period: ReportPeriod,
    notes: inout [String]
  ) throws -> [String: MoneyTotals] {
    let segments = try filter.segmentCondition(db, column: "r.segment").map { " AND " + $0 } ?? ""
    var totals: [String: MoneyTotals] = [:]
    var currencies = Set<String>()
    var rates = filter.currency.map(DayRates.init(target:))
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT r.day, n.name, sum(r.amount_minor) AS amount_minor
        FROM analytics_revenue r JOIN analytics_name n ON n.id = r.currency
        WHERE r.day BETWEEN ? AND ?\(segments)
        GROUP BY r.day, n.name
        """, arguments: [days.lowerBound, days.upperBound])
    while let row = try cursor.next() {
      let day: Int64 = row["day"]
      let currency: String = row["name"]
      var amount: Int64 = row["amount_minor"]
      currencies.insert(currency)
      if var converter = rates {
        amount = try converter.convert(amount, currency, day: day, db)
        rates = converter
        totals[period.label(day), default: MoneyTotals()].add(amount, converter.target.rawValue)
      } else {
        totals[period.label(day), default: MoneyTotals()].add(amount, currency)
      }
    }
    if filter.currency == nil, currencies.count > 1 {
      notes.append(
        "revenue adds amounts in \(currencies.count) currencies as given ("
          + currencies.sorted().joined(separator: ", ")
          + "); --currency EUR converts them at each day's ECB rate")
    }
    return totals
  }

  /// Distinct visitors per week or month.
  static func visitors(
    _ db: Database, _ filter: ReportFilter, days: ClosedRange<Int64>, period: ReportPeriod
  ) throws -> [String: Int64] {
    var counts: [String: Int64] = [:]
    if filter.merchant != nil || filter.channel != nil {
      let segments = try Set(
        Int64.fetchAll(
          db,
          sql: "SELECT id FROM analytics_segment WHERE "
            + (try filter.segmentCondition(db, column: "id") ?? "1")))
      var users: [String: Set<Int64>] = [:]
      let cursor = try Row.fetchCursor(
        db,
        sql: "SELECT day, data FROM analytics_state WHERE part = ? AND day BETWEEN ? AND ?",
        arguments: [DayState.Part.visitors.rawValue, days.lowerBound, days.upperBound])
      while let row = try cursor.next() {
        let label = period.label(row["day"])
        DayState.read(row["data"], width: 2) { pair in
          if segments.contains(pair[1]) { users[label, default: []].insert(pair[0]) }
        }
      }
      for (label, set) in users { counts[label] = Int64(set.count) }
      return counts
    }
    let country = filter.country.map { Names.id(.country, $0.uppercased()) } ?? 0
    var sketches: [String: HyperLogLog] = [:]
    let cursor = try Row.fetchCursor(
      db,
      sql: "SELECT day, registers FROM analytics_sketch WHERE day BETWEEN ? AND ? AND country = ?",
      arguments: [days.lowerBound, days.upperBound, country])
    while let row = try cursor.next() {
      let registers: Data = row["registers"]
      guard let sketch = HyperLogLog(registers: Array(registers)) else { continue }
      sketches[period.label(row["day"]), default: HyperLogLog()].merge(sketch)
    }
    for (label, sketch) in sketches { counts[label] = Int64(sketch.estimate) }
    return counts
  }
}
