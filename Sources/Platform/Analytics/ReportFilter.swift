import Foundation
import GRDB
import Importers
public import MktCore
import Pricing

/// Which events a report covers: days, and the segments of merchants, countries and channels.
public struct ReportFilter: Sendable, Equatable {
  /// First day, `YYYY-MM-DD` (default: the first with events).
  public var from: String?
  /// Last day, inclusive (default: the last with events).
  public var to: String?
  public var merchant: String?
  public var country: String?
  public var channel: String?
  /// Convert money into this currency at each day's ECB rate; `nil` adds amounts as given.
  public var currency: CurrencyCode?

  public init(
    from: String? = nil, to: String? = nil, merchant: String? = nil, country: String? = nil,
    channel: String? = nil, currency: CurrencyCode? = nil
  ) {
    self.from = from
    self.to = to
    self.merchant = merchant
    self.country = country
    self.channel = channel
    self.currency = currency
  }

  /// Whether only some segments are asked for.
  var narrowed: Bool { merchant != nil || country != nil || channel != nil }

  /// The first and last day numbers, checked.
  ///
  /// - Throws: ``AnalyticsError`` for a day that is not one, or `from` after `to`.
  func days(_ db: Database) throws -> ClosedRange<Int64>? {
    let first = try from.map { text throws(AnalyticsError) in
      guard let day = Analytics.day(text) else { throw AnalyticsError.invalidDay(text) }
      return day
    }
    let last = try to.map { text throws(AnalyticsError) in
      guard let day = Analytics.day(text) else { throw AnalyticsError.invalidDay(text) }
      return day
    }
    if let first, let last, first > last {
      throw AnalyticsError.emptyRange(from: from ?? "", to: to ?? "")
    }
    let stored = try Row.fetchOne(
      db, sql: "SELECT min(day) AS first_day, max(day) AS last_day FROM analytics_day")
    guard let low = first ?? stored?["first_day"], let high = last ?? stored?["last_day"] else {
      return nil
    }
    return low <= high ? low...high : nil
  }

  /// The segment ids the filter covers as an SQL condition on `column`, or `nil` for all.
  func segmentCondition(_ db: Database, column: String) throws -> String? {
    guard narrowed else { return nil }
    var clauses: [String] = []
    var arguments: [any DatabaseValueConvertible] = []
    for (kind, value, field) in [
      (NameKind.merchant, merchant, "merchant"), (.country, country?.uppercased(), "country"),
      (.channel, channel?.lowercased(), "channel"),
    ] {
      guard let value else { continue }
      clauses.append("\(field) = ?")
      arguments.append(Names.id(kind, value))
    }
    let ids = try Int64.fetchAll(
      db,
      sql: "SELECT id FROM analytics_segment WHERE " + clauses.joined(separator: " AND "),
      arguments: StatementArguments(arguments))
    return "\(column) IN (" + (ids.isEmpty ? "-1" : ids.map(String.init).joined(separator: ","))
      + ")"
  }
}

/// How a report groups days.
public enum ReportPeriod: String, Sendable, CaseIterable {
  case day, week, month

  /// The period's label of a day: the day, the Monday of its ISO week, or `YYYY-MM`.
  func label(_ day: Int64) -> String {
    switch self {
    case .day: return Analytics.dayText(day)
    case .week:
      // 1970-01-01 was a Thursday: days since the Monday before it.
      let weekday = ((day + 3) % 7 + 7) % 7
      return Analytics.dayText(day - weekday)
    case .month: return String(Analytics.dayText(day).prefix(7))
    }
  }
}

/// Money summed per currency, shown as given or converted at each day's rate.
struct MoneyTotals {
  /// Minor units per currency code.
  var amounts: [String: Int64] = [:]

  mutating func add(_ minor: Int64, _ currency: String) { amounts[currency, default: 0] += minor }

  /// The total in major units: amounts as given added up (as a reference that ignores
  /// currencies does), or `target`'s when conversion already happened.
  var total: Double {
    amounts.reduce(0) { sum, entry in
      let digits = CurrencyCode(entry.key)?.minorUnitDigits ?? 2
      return sum + Double(entry.value) / pow(10, Double(digits))
    }
  }
}

/// Converts rollup amounts at the ECB rate of their day, caching each day's rates.
struct DayRates {
  let target: CurrencyCode
  private var byDay: [Int64: [CurrencyCode: ExactDecimal]] = [:]

  init(target: CurrencyCode) { self.target = target }

  /// `minor` units of `currency` on `day`, in the target currency's minor units.
  ///
  /// - Throws: `LocalizationError.noRate` when a day has no rate for a currency.
  mutating func convert(_ minor: Int64, _ currency: String, day: Int64, _ db: Database) throws
    -> Int64
  {
    guard let code = CurrencyCode(currency), code != target else { return minor }
    let text = Analytics.dayText(day)
    if byDay[day] == nil { byDay[day] = try PricingService.rates(db, on: text) }
    return try PricingService.convert(
      minor, from: code, to: target, rates: byDay[day] ?? [:], day: text)
  }
}
