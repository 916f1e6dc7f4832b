import Foundation
import GRDB
import MktCore
import Store

/// One step of the purchase funnel: sessions that reached it, and what share of the step before
/// and of all sessions that is.
public struct FunnelStep: Sendable, Equatable, Encodable {
  public var step: String
  public var sessions: Int64
  public var ofPrevious: Double
  public var ofSessions: Double
  public var dropOff: Int64

  enum CodingKeys: String, CodingKey {
    case step, sessions
    case ofPrevious = "of_previous"
    case ofSessions = "of_sessions"
    case dropOff = "drop_off"
  }
}

/// Visitors, sessions and views of one group (a period, a channel or a country).
public struct TrafficRow: Sendable, Equatable, Encodable {
  public var group: String
  public var visitors: Int64
  public var sessions: Int64
  public var pageViews: Int64
  public var productViews: Int64
  public var carts: Int64
  public var purchaseSessions: Int64
  public var conversionRate: Double
  public var cartRate: Double

  enum CodingKeys: String, CodingKey {
    case group, visitors, sessions, carts
    case pageViews = "page_views"
    case productViews = "product_views"
    case purchaseSessions = "purchase_sessions"
    case conversionRate = "conversion_rate"
    case cartRate = "cart_rate"
  }
}

/// What traffic and conversion are grouped by.
public enum TrafficGroup: String, Sendable, CaseIterable {
  case day, week, month, channel, country, merchant
}

extension AnalyticsService {
  /// The funnel over the filtered days: sessions → with a product view → with a cart → with a
  /// purchase.
  ///
  /// - Throws: ``AnalyticsError`` for bad days.
  public func funnel(_ filter: ReportFilter) async throws -> Report<FunnelStep> {
    let overview = try await overview(filter, by: .month)
    let totals = overview.rows.reduce(into: [Int64](repeating: 0, count: 4)) { sums, row in
      sums[0] += row.sessions
      sums[1] += row.viewSessions
      sums[2] += row.cartSessions
      sums[3] += row.purchaseSessions
    }
    guard totals[0] > 0 else { return Report(rows: [], notes: []) }
    let names = ["session", "product_view", "add_to_cart", "purchase"]
    let steps = names.indices.map { index in
      FunnelStep(
        step: names[index], sessions: totals[index],
        ofPrevious: index == 0 ? 1 : Self.rate(totals[index], totals[index - 1]),
        ofSessions: Self.rate(totals[index], totals[0]),
        dropOff: index == 0 ? 0 : totals[index - 1] - totals[index])
    }
    return Report(rows: steps, notes: ["sessions are counted per day"])
  }

  /// Visitors, sessions, views and conversion per period, channel, country or merchant.
  ///
  /// - Throws: ``AnalyticsError`` for bad days.
  public func traffic(_ filter: ReportFilter, by group: TrafficGroup) async throws
    -> Report<TrafficRow>
  {
    if let period = ReportPeriod(rawValue: group.rawValue) {
      let overview = try await overview(filter, by: period)
      return Report(
        rows: overview.rows.map {
          TrafficRow(
            group: $0.period, visitors: $0.visitors, sessions: $0.sessions,
            pageViews: $0.pageViews, productViews: $0.productViews, carts: $0.addToCart,
            purchaseSessions: $0.purchaseSessions, conversionRate: $0.conversionRate,
            cartRate: Self.rate($0.cartSessions, $0.sessions))
        }, notes: overview.notes)
    }
    return try await store.read { db in
      guard let days = try filter.days(db) else { return Report(rows: [], notes: []) }
      let segments = try filter.segmentCondition(db, column: "d.segment").map { " AND " + $0 } ?? ""
      let column =
        switch group {
        case .channel: "s.channel"
        case .country: "s.country"
        default: "s.merchant"
        }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT coalesce(n.name, '') AS name, sum(d.visitors) AS visitors,
            sum(d.sessions) AS sessions, sum(d.page_views) AS page_views,
            sum(d.product_views) AS product_views, sum(d.carts) AS carts,
            sum(d.purchase_sessions) AS purchase_sessions, sum(d.cart_sessions) AS cart_sessions
          FROM analytics_day d JOIN analytics_segment s ON s.id = d.segment
            LEFT JOIN analytics_name n ON n.id = \(column)
          WHERE d.day BETWEEN ? AND ?\(segments)
          GROUP BY \(column) ORDER BY sum(d.sessions) DESC
          """, arguments: [days.lowerBound, days.upperBound])
      return Report(
        rows: rows.map { row in
          let name: String = row["name"]
          return TrafficRow(
            group: name.isEmpty ? "(none)" : name, visitors: row["visitors"],
            sessions: row["sessions"], pageViews: row["page_views"],
            productViews: row["product_views"], carts: row["carts"],
            purchaseSessions: row["purchase_sessions"],
            conversionRate: Self.rate(row["purchase_sessions"], row["sessions"]),
            cartRate: Self.rate(row["cart_sessions"], row["sessions"]))
        },
        notes: [
          "visitors are added up per day (a visitor of several days counts on each): "
            + "--by week or month for distinct visitors"
        ])
    }
  }
}
