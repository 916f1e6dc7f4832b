import Foundation
import GRDB
import MktCore
import Store

/// What `mkt inventory reorder` suggests for one SKU in one warehouse.
public struct ReorderRow: Sendable, Equatable, Encodable {
  public var merchant: String
  public var sku: String
  public var warehouse: String
  /// On hand plus reservations.
  public var available: Int
  /// Units sold per day over the window (orders, else purchase events).
  public var daily: Double
  /// Days the available stock lasts at that pace (`nil`: nothing sells).
  public var coverDays: Double?
  /// Units the horizon is expected to sell, weekdays weighted as they sold.
  public var horizonDemand: Double
  /// Units to order: the horizon's demand plus safety stock, less what is available.
  public var reorder: Int
  /// `out` (nothing available), `low` (less cover than the horizon) or `ok`.
  public var status: String
  /// `orders` or `events`.
  public var source: String

  enum CodingKeys: String, CodingKey {
    case merchant, sku, warehouse, available, daily, reorder, status, source
    case coverDays = "cover_days"
    case horizonDemand = "horizon_demand"
  }
}

/// The daily sales `reorder` gathers, by merchant, SKU and warehouse.
private struct ReorderSales {
  /// Units sold, by key (merchant, SKU and warehouse joined by U+001F) and day.
  var units: [String: [Int64: Double]] = [:]
  /// Where each key's sales came from: `orders` or `events`.
  var sources: [String: String] = [:]
  /// The last day with sales (`.min`: none).
  var lastDay: Int64 = .min
}

extension AnalyticsService {
  /// Days of sales a reorder suggestion looks back on.
  public static let reorderWindow = 28

  /// Per SKU and warehouse with stock: sales velocity over the 28 days up to the last day with
  /// sales, with weekly seasonality, days of cover, and a suggested reorder quantity for
  /// `horizonDays`.
  ///
  /// Demand comes from order lines (by the warehouse that shipped them, cancelled and rejected
  /// orders left out); a SKU no order sold takes its purchase events, shared evenly among the
  /// warehouses holding it. The forecast of a day is the window's mean times its weekday's
  /// factor (that weekday's mean over the window's mean, shrunk half-way to 1 against noise).
  /// Safety stock is 1.65 standard deviations of daily sales over the horizon (95 % service).
  ///
  /// - Throws: store errors.
  public func reorder(merchant: String? = nil, horizonDays: Int = 14) async throws -> [ReorderRow] {
    try await store.read { db in
      var sales = ReorderSales()
      try Self.addOrderSales(db, merchant: merchant, to: &sales)
      // Stock rows, with what is available.
      let stock = try Row.fetchAll(
        db,
        sql: """
          SELECT s.merchant_id, s.sku, s.warehouse_id, s.on_hand + coalesce(
            (SELECT sum(r.quantity) FROM reservation r WHERE r.merchant_id = s.merchant_id
               AND r.sku = s.sku AND r.warehouse_id = s.warehouse_id), 0) AS available
          FROM stock s WHERE ?1 IS NULL OR s.merchant_id = ?1
          ORDER BY s.merchant_id, s.sku, s.warehouse_id
          """, arguments: [merchant])
      try Self.addEventSales(db, stock: stock, to: &sales)
      return Self.reorderRows(stock: stock, sales: sales, horizonDays: horizonDays)
    }
  }

  /// Adds the daily sales from orders, by merchant, sku and warehouse.
  private static func addOrderSales(
    _ db: Database, merchant: String?, to sales: inout ReorderSales
  ) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT o.merchant_id, l.sku, l.warehouse_id, substr(o.placed_at, 1, 10) AS day,
          sum(l.quantity) AS quantity
        FROM orders o JOIN order_line l ON l.order_id = o.id
        WHERE o.status NOT IN ('cancelled', 'rejected') AND (?1 IS NULL OR o.merchant_id = ?1)
        GROUP BY o.merchant_id, l.sku, l.warehouse_id, substr(o.placed_at, 1, 10)
        """, arguments: [merchant])
    {
      guard let day = Analytics.day(row["day"]) else { continue }
      let key = Self.stockKey(row)
      sales.units[key, default: [:]][day, default: 0] += Double(row["quantity"] as Int64)
      sales.sources[key] = "orders"
      sales.lastDay = max(sales.lastDay, day)
    }
  }

  /// Adds the purchase events of the SKUs no order sold, shared evenly among the warehouses
  /// holding them.
  private static func addEventSales(
    _ db: Database, stock: [Row], to sales: inout ReorderSales
  ) throws {
    var holders: [String: Int] = [:]
    for row in stock { holders[row["sku"] as String, default: 0] += 1 }
    // SKUs no order sold: their purchase events.
    let unsold = Set(stock.map { Self.stockKey($0) }).subtracting(sales.units.keys)
    guard !unsold.isEmpty else { return }
    let skus = Set(
      unsold.compactMap { $0.split(separator: "\u{1F}").dropFirst().first.map(String.init) })
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, p.day, sum(p.purchases) AS purchases FROM analytics_product_day p
        JOIN analytics_name n ON n.id = p.product WHERE p.purchases > 0
        GROUP BY n.name, p.day
        """)
    {
      let sku: String = row["name"]
      guard skus.contains(sku) else { continue }
      let day: Int64 = row["day"]
      let share = Double(row["purchases"] as Int64) / Double(holders[sku] ?? 1)
      for key in unsold
      where key.split(separator: "\u{1F}").dropFirst().first.map(String.init) == sku {
        sales.units[key, default: [:]][day, default: 0] += share
        sales.sources[key] = "events"
      }
      sales.lastDay = max(sales.lastDay, day)
    }
  }

  /// The suggestion for each stock row from its sales over the window, those short of cover
  /// first.
  private static func reorderRows(
    stock: [Row], sales: ReorderSales, horizonDays: Int
  ) -> [ReorderRow] {
    let window = Int64(Self.reorderWindow)
    var lastDay = sales.lastDay
    if lastDay == .min { lastDay = window }  // nothing sold yet: a window of zeros
    let first = lastDay - window + 1
    return stock.map { row in
      let key = Self.stockKey(row)
      let available: Int = row["available"]
      let daily = (first...lastDay).map { sales.units[key]?[$0] ?? 0 }
      let forecast = Self.forecast(daily: daily, firstDay: first, horizon: horizonDays)
      let mean = daily.reduce(0, +) / Double(daily.count)
      let needed = (forecast.demand + forecast.safety).rounded(.up)
      let cover: Double? = mean > 0 ? Double(max(available, 0)) / mean : nil
      return ReorderRow(
        merchant: row["merchant_id"], sku: row["sku"], warehouse: row["warehouse_id"],
        available: available,
        daily: (mean * 100).rounded() / 100,
        coverDays: cover.map { ($0 * 10).rounded() / 10 },
        horizonDemand: (forecast.demand * 10).rounded() / 10,
        reorder: max(0, Int(needed) - max(available, 0)),
        status: available <= 0
          ? "out" : (cover.map { $0 < Double(horizonDays) } ?? false) ? "low" : "ok",
        source: sales.sources[key] ?? "none")
    }.sorted {
      ($0.status == "ok" ? 1 : 0, $0.coverDays ?? .infinity) < (
        $1.status == "ok" ? 1 : 0, $1.coverDays ?? .infinity
      )
    }
  }

  /// A sales key from a row's `merchant_id`, `sku` and `warehouse_id`: joined by U+001F.
  private static func stockKey(_ row: Row) -> String {
    [row["merchant_id"] as String, row["sku"] as String, row["warehouse_id"] as String]
      .joined(separator: "\u{1F}")
  }

  /// Demand over the `horizon` days after the window, each day its weekday's share, and the
  /// safety stock for it.
  static func forecast(daily: [Double], firstDay: Int64, horizon: Int) -> (
    demand: Double, safety: Double
  ) {
    guard !daily.isEmpty else { return (0, 0) }
    let mean = daily.reduce(0, +) / Double(daily.count)
    guard mean > 0 else { return (0, 0) }
    var byWeekday = [Double](repeating: 0, count: 7)
    var counts = [Double](repeating: 0, count: 7)
    for (offset, units) in daily.enumerated() {
      let weekday = Int(((firstDay + Int64(offset)) % 7 + 7) % 7)
      byWeekday[weekday] += units
      counts[weekday] += 1
    }
    let factors = (0..<7).map { day in
      counts[day] > 0 ? (byWeekday[day] / counts[day] / mean + 1) / 2 : 1
    }
    let next = firstDay + Int64(daily.count)
    let demand = (0..<Int64(horizon)).reduce(0.0) { sum, offset in
      sum + mean * factors[Int(((next + offset) % 7 + 7) % 7)]
    }
    let variance =
      daily.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(daily.count - 1, 1))
    return (demand, 1.65 * variance.squareRoot() * Double(horizon).squareRoot())
  }
}
