import Foundation
import GRDB
import Localization
public import MktCore
import Pricing
public import Store

/// Sales per day, merchant, country or product: orders, units, gross and VAT, optionally in one
/// currency converted at each day's ECB rate.
public struct SalesReport: Sendable {
  public enum Dimension: String, Sendable, CaseIterable { case day, merchant, country, product }

  /// One row of the report.
  public struct Row: Sendable, Equatable, Encodable {
    public var key: String
    public var currency: String
    public var orders: Int
    public var units: Int
    public var gross: String
    public var vat: String
    public var net: String
  }

  public var by: Dimension
  /// First day, `YYYY-MM-DD`, inclusive.
  public var from: String?
  /// Last day, inclusive.
  public var to: String?
  /// Convert every amount into this currency at the ECB rate of its order's day.
  public var currency: CurrencyCode?
  public var merchant: String?

  public init(by: Dimension) { self.by = by }

  /// The report over the orders that were not cancelled or rejected.
  ///
  /// - Throws: ``LocalizationError/noRate(currency:day:)`` when a day has no rate on or before.
  public func run(_ store: Store) async throws -> Result {
    let key =
      switch by {
      case .day: "substr(o.placed_at, 1, 10)"
      case .merchant: "o.merchant_id"
      case .country: "o.country"
      case .product: "o.merchant_id || '/' || l.sku"
      }
    let report = self
    return try await store.read { db in
      // Sums in 128 bits: a day of large orders adds up past 64-bit minor units.
      var totals: [String: (orders: Set<Int64>, units: Int, gross: Int128, vat: Int128)] = [:]
      var ratesByDay: [String: [CurrencyCode: ExactDecimal]] = [:]
      var stale = StaleRates()
      let cursor = try GRDB.Row.fetchCursor(
        db,
        sql: """
          SELECT \(key) AS report_key, substr(o.placed_at, 1, 10) AS day, o.currency, o.id,
            l.quantity, l.total_minor, l.vat_minor
          FROM orders o JOIN order_line l ON l.order_id = o.id
          WHERE o.status NOT IN ('cancelled', 'rejected')
            AND (?1 IS NULL OR o.placed_at >= ?1) AND (?2 IS NULL OR o.placed_at < ?2)
            AND (?3 IS NULL OR o.merchant_id = ?3)
          """,
        arguments: [
          report.from, report.to.map { $0 + "T99" }, report.merchant,
        ])
      while let row = try cursor.next() {
        let day: String = row["day"]
        let code = CurrencyCode(row["currency"] as String) ?? .eur
        var gross: Int64 = row["total_minor"]
        var vat: Int64 = row["vat_minor"]
        var currency = code
        if let target = report.currency, target != code {
          if ratesByDay[day] == nil {
            ratesByDay[day] = try PricingService.rates(db, on: day)
            for used in Set([code, target]) where used != .eur {
              if let rateDay = try PricingService.rateDay(db, currency: used, on: day) {
                stale.note(currency: used, day: day, rateDay: rateDay)
              }
            }
          }
          let rates = ratesByDay[day] ?? [:]
          gross = try PricingService.convert(gross, from: code, to: target, rates: rates, day: day)
          vat = try PricingService.convert(vat, from: code, to: target, rates: rates, day: day)
          currency = target
        }
        let id = "\(row["report_key"] as String)\u{1F}\(currency.rawValue)"
        var entry = totals[id] ?? ([], 0, 0, 0)
        entry.orders.insert(row["id"])
        entry.units += row["quantity"] as Int  // at most 100,000 a line: no 64-bit sum overflows
        entry.gross += Int128(gross)
        entry.vat += Int128(vat)
        totals[id] = entry
      }
      let rows = totals.map { id, entry in
        let parts = id.split(separator: "\u{1F}").map(String.init)
        let currency = parts.count == 2 ? parts[1] : "EUR"
        let digits = (CurrencyCode(currency) ?? .eur).minorUnitDigits
        return Row(
          key: parts.first ?? "", currency: currency, orders: entry.orders.count,
          units: entry.units, gross: Self.decimal(entry.gross, digits: digits),
          vat: Self.decimal(entry.vat, digits: digits),
          net: Self.decimal(entry.gross - entry.vat, digits: digits))
      }.sorted { ($0.key, $0.currency) < ($1.key, $1.currency) }
      return Result(rows: rows, warnings: stale.warnings)
    }
  }

  /// The rows, and what a reader should know about them.
  public struct Result: Sendable {
    public var rows: [Row]
    /// Conversions made at rates more than a week older than their orders' days, one line per
    /// currency.
    public var warnings: [String]
  }

  /// Conversions at rates older than their orders' days by more than
  /// ``PricingService/staleRateDays``, per currency.
  struct StaleRates {
    /// Per currency: the order days affected, and the oldest rate day used with its gap.
    var found: [CurrencyCode: (days: [String], rateDay: String, gap: Int)] = [:]

    mutating func note(currency: CurrencyCode, day: String, rateDay: String) {
      guard let asked = UTCTime.date(day + "T00:00:00Z"),
        let rates = UTCTime.date(rateDay + "T00:00:00Z")
      else { return }
      let gap = Int(asked.timeIntervalSince(rates) / 86_400)
      guard gap > PricingService.staleRateDays else { return }
      var entry = found[currency] ?? ([], rateDay, gap)
      entry.days.append(day)
      if gap > entry.gap { (entry.rateDay, entry.gap) = (rateDay, gap) }
      found[currency] = entry
    }

    var warnings: [String] {
      found.sorted { $0.key.rawValue < $1.key.rawValue }.map { currency, entry in
        let days = entry.days.sorted()
        let span =
          days.count == 1
          ? "of \(days[0])" : "of \(days.count) days (\(days[0]) to \(days[days.count - 1]))"
        return "\(currency.rawValue) amounts \(span) were converted at rates up to \(entry.gap) "
          + "days older (the rates of \(entry.rateDay)); import newer ones (mkt currency import "
          + "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip)"
      }
    }
  }

  /// `minorUnits` as a plain decimal with `digits` decimals (`-1234.50`), exactly.
  static func decimal(_ minorUnits: Int128, digits: Int) -> String {
    var scale: UInt128 = 1
    for _ in 0..<digits { scale *= 10 }
    let magnitude = minorUnits.magnitude
    let sign = minorUnits < 0 ? "-" : ""
    let fraction = String(magnitude % scale)
    guard digits > 0 else { return sign + String(magnitude) }
    return sign + String(magnitude / scale) + "."
      + String(repeating: "0", count: digits - fraction.count) + fraction
  }
}
