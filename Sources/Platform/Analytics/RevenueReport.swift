import Foundation
import GRDB
import MktCore
import Store

/// One period of `mkt report revenue`.
public struct RevenueRow: Sendable, Equatable, Encodable {
  public var period: String
  /// Purchase events' prices (as given, or converted with `--currency`).
  public var revenue: Double
  /// Sessions with a purchase: the orders the events saw.
  public var orders: Int64
  /// Revenue ÷ orders.
  public var averageOrder: Double
  /// Revenue ÷ visitors.
  public var revenuePerVisitor: Double
  public var visitors: Int64
  /// Orders placed through mkt (not cancelled or rejected) and their totals, where there are
  /// any.
  public var placedOrders: Int64
  public var placedRevenue: Double

  enum CodingKeys: String, CodingKey {
    case period, revenue, orders, visitors
    case averageOrder = "average_order"
    case revenuePerVisitor = "revenue_per_visitor"
    case placedOrders = "placed_orders"
    case placedRevenue = "placed_revenue"
  }
}

extension AnalyticsService {
  /// Revenue, orders, average order and revenue per visitor per period, from the event rollups,
  /// beside the orders placed through mkt in the same days (their totals, gross).
  ///
  /// - Throws: ``AnalyticsError`` for bad days; `LocalizationError.noRate` when `--currency`
  ///   needs a rate that is not stored.
  public func revenue(_ filter: ReportFilter, by period: ReportPeriod = .day) async throws
    -> Report<RevenueRow>
  {
    let overview = try await overview(filter, by: period)
    let placed = try await store.read { db in
      guard let days = try filter.days(db) else { return [String: (Int64, MoneyTotals)]() }
      var totals: [String: (Int64, MoneyTotals)] = [:]
      var rates = filter.currency.map(DayRates.init(target:))
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT substr(placed_at, 1, 10) AS day, currency, count(*) AS placed_orders,
            sum(total_minor) AS total_minor
          FROM orders
          WHERE status NOT IN ('cancelled', 'rejected') AND placed_at >= ? AND placed_at < ?
            AND (?3 IS NULL OR merchant_id = ?3)
          GROUP BY substr(placed_at, 1, 10), currency
          """,
        arguments: [
          Analytics.dayText(days.lowerBound), Analytics.dayText(days.upperBound + 1),
          filter.merchant,
        ])
      {
        guard let day = Analytics.day(row["day"]) else { continue }
        let label = period.label(day)
        var entry = totals[label] ?? (0, MoneyTotals())
        entry.0 += row["placed_orders"] as Int64
        var amount: Int64 = row["total_minor"]
        var currency: String = row["currency"]
        if var converter = rates {
          amount = try converter.convert(amount, currency, day: day, db)
          currency = converter.target.rawValue
          rates = converter
        }
        entry.1.add(amount, currency)
        totals[label] = entry
      }
      return totals
    }
    return Report(
      rows: overview.rows.map { row in
        let orders = row.purchaseSessions
        return RevenueRow(
          period: row.period, revenue: row.revenue, orders: orders,
          averageOrder: orders > 0 ? row.revenue / Double(orders) : 0,
          revenuePerVisitor: row.visitors > 0 ? row.revenue / Double(row.visitors) : 0,
          visitors: row.visitors, placedOrders: placed[row.period]?.0 ?? 0,
          placedRevenue: placed[row.period]?.1.total ?? 0)
      }, notes: overview.notes)
  }
}
