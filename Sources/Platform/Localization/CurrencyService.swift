import Foundation
import GRDB
import Importers
public import MktCore
public import Store

/// ECB reference rates, stored by day, and conversions between the ten currencies through them.
public struct CurrencyService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// What an import of a rate file did.
  public struct ImportSummary: Sendable, Equatable, Encodable {
    public var source: String
    public var days: Int
    public var first: String
    public var last: String
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
      case source, days, first, last, inserted, updated, unchanged
      case dryRun = "dry_run"
    }

    /// One line for people.
    public var line: String {
      let range = first == last ? first : "\(first) to \(last)"
      let verb = dryRun ? "would insert" : "inserted"
      return
        "\(days) day\(days == 1 ? "" : "s") (\(range)): \(verb) \(inserted), updated \(updated), "
        + "unchanged \(unchanged)"
    }
  }

  /// Stores every rate of an ECB file (daily or historical) in one transaction; a rate already
  /// stored for the same day is replaced only when it differs.
  ///
  /// - Throws: ``FeedError`` with file:line for a malformed file (nothing stored).
  public func importRates(bytes: [UInt8], source: String, dryRun: Bool = false) async throws
    -> ImportSummary
  {
    let file = try ECBRateFile(bytes: bytes, file: source)
    let rates = file.rates.filter { CurrencyCode($0.currency) != nil }
    let days = file.days
    let counts = try await store.write { db -> (Int, Int, Int) in
      var inserted = 0
      var updated = 0
      var unchanged = 0
      let existing = try db.cachedStatement(
        sql: "SELECT rate FROM currency_rate WHERE currency = ? AND day = ?")
      let upsert = try db.cachedStatement(
        sql: """
          INSERT INTO currency_rate (currency, day, rate, source) VALUES (?, ?, ?, ?)
          ON CONFLICT (currency, day) DO UPDATE SET rate = excluded.rate,
            source = excluded.source, imported_at = excluded.imported_at
          """)
      for rate in rates {
        let text = rate.rate.description
        let stored = try String.fetchOne(existing, arguments: [rate.currency, rate.day])
        if stored == text {
          unchanged += 1
          continue
        }
        if stored == nil { inserted += 1 } else { updated += 1 }
        if !dryRun { try upsert.execute(arguments: [rate.currency, rate.day, text, source]) }
      }
      return (inserted, updated, unchanged)
    }
    return ImportSummary(
      source: source, days: days.count, first: days.last ?? "", last: days.first ?? "",
      inserted: counts.0, updated: counts.1, unchanged: counts.2, dryRun: dryRun)
  }

  /// The rates in force on a day: the latest ECB day on or before it.
  public struct RateDay: Sendable, Equatable, Encodable {
    /// The day asked for.
    public var requested: String
    /// The ECB day the rates are from (earlier when `requested` was a weekend or holiday).
    public var day: String
    /// Units of each currency per euro (EUR itself is 1).
    public var rates: [String: String]

    public var carriedForward: Bool { day != requested }

    enum CodingKeys: String, CodingKey {
      case requested, day, rates
      case carriedForward = "carried_forward"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(requested, forKey: .requested)
      try container.encode(day, forKey: .day)
      try container.encode(rates, forKey: .rates)
      try container.encode(carriedForward, forKey: .carriedForward)
    }
  }

  /// The rates on `day` (`YYYY-MM-DD`; default: the latest stored day).
  ///
  /// - Throws: ``LocalizationError/noRate(currency:day:)`` when nothing is stored on or before.
  public func rates(on day: String? = nil) async throws -> RateDay {
    if let day, !ECBRateFile.isDay(day) { throw LocalizationError.badDay(day) }
    let today = UTCTime.day(store.clock.now())
    return try await store.read { db in
      let requested =
        try day
        ?? String.fetchOne(db, sql: "SELECT max(day) FROM currency_rate")
        ?? today
      guard
        let found = try String.fetchOne(
          db, sql: "SELECT max(day) FROM currency_rate WHERE day <= ?", arguments: [requested])
      else { throw LocalizationError.noRate(currency: "any currency", day: requested) }
      let rows = try Row.fetchAll(
        db, sql: "SELECT currency, rate FROM currency_rate WHERE day = ? ORDER BY currency",
        arguments: [found])
      var rates: [String: String] = ["EUR": "1"]
      for row in rows { rates[row["currency"]] = row["rate"] }
      return RateDay(requested: requested, day: found, rates: rates)
    }
  }

  /// A conversion and the rates it used.
  public struct Conversion: Sendable, Equatable, Encodable {
    public var amount: Money
    public var result: Money
    public var requested: String
    /// The ECB day whose rates were used.
    public var rateDay: String
    /// Units of the target currency per unit of the source, as computed (not rounded).
    public var rate: String

    public var carriedForward: Bool { rateDay != requested }

    enum CodingKeys: String, CodingKey {
      case amount, from, result, to, requested, rate
      case rateDay = "rate_day"
      case carriedForward = "carried_forward"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(amount.decimalString, forKey: .amount)
      try container.encode(amount.currency, forKey: .from)
      try container.encode(result.decimalString, forKey: .result)
      try container.encode(result.currency, forKey: .to)
      try container.encode(requested, forKey: .requested)
      try container.encode(rateDay, forKey: .rateDay)
      try container.encode(rate, forKey: .rate)
      try container.encode(carriedForward, forKey: .carriedForward)
    }
  }

  /// Converts `amount` into `target` with the ECB rates of `day` (default: the latest stored),
  /// through EUR for cross rates, rounded half-even to the target's minor units.
  ///
  /// Each currency's rate is the latest on or before the day, so a weekend or holiday carries the
  /// previous business day forward (`carriedForward`).
  ///
  /// - Throws: ``LocalizationError/noRate(currency:day:)`` naming the day; ``MoneyError`` when
  ///   the result overflows.
  public func convert(_ amount: Money, to target: CurrencyCode, on day: String? = nil)
    async throws -> Conversion
  {
    if let day, !ECBRateFile.isDay(day) { throw LocalizationError.badDay(day) }
    let today = UTCTime.day(store.clock.now())
    let (requested, rateDay, from, to) = try await store.read {
      db -> (String, String, ExactDecimal, ExactDecimal) in
      let requested =
        try day ?? String.fetchOne(db, sql: "SELECT max(day) FROM currency_rate")
        ?? today
      var latest = "0000-00-00"
      func rate(_ currency: CurrencyCode) throws -> ExactDecimal {
        if currency == .eur { return ExactDecimal(significand: 1, scale: 0) }
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT day, rate FROM currency_rate WHERE currency = ? AND day <= ?
              ORDER BY day DESC LIMIT 1
              """, arguments: [currency.rawValue, requested]),
          let value = ExactDecimal(row["rate"] as String)
        else { throw LocalizationError.noRate(currency: currency.rawValue, day: requested) }
        latest = max(latest, row["day"] as String)
        return value
      }
      let from = try rate(amount.currency)
      let to = try rate(target)
      return (requested, latest == "0000-00-00" ? requested : latest, from, to)
    }
    let result = try Self.convert(amount, from: from, to: to, target: target)
    return Conversion(
      amount: amount, result: result.money, requested: requested, rateDay: rateDay,
      rate: result.rate)
  }

  /// `amount` ÷ `from` × `to`, rounded half-even to `target`'s minor units, and the effective
  /// rate (ten decimals) for display.
  static func convert(_ amount: Money, from: ExactDecimal, to: ExactDecimal, target: CurrencyCode)
    throws(MoneyError) -> (money: Money, rate: String)
  {
    let money = try ExchangeRates.convert(amount, to: target, from: from, to: to)
    let one = Money(minorUnits: 10_000_000_000, currency: amount.currency)
    let scaledRate = Rounding.halfEven(
      one.minorUnits, times: to.significand * Int64(LocaleFormat.power(from.scale)),
      dividedBy: from.significand * Int64(LocaleFormat.power(to.scale)))
    let rate = ExactDecimal(significand: scaledRate ?? 0, scale: 10).description
    return (money, rate)
  }
}
