import Foundation
import MktCore

/// A signal by name: what rules test and the learned model weighs.
///
/// Every signal is read from an order and what the history said when it was placed
/// (``FraudSignals``), so rules, model and explanations name the same things.
public struct FraudSignal: Sendable {
  /// What a signal's value is, which decides how rules write it and how the model reads it.
  public enum Kind: String, Sendable {
    /// A number of orders, accounts or cards (the model reads its logarithm).
    case count
    /// A duration in seconds; rules may write `60s`, `10m`, `2h`, `7d`.
    case seconds
    /// An amount in euros (the model reads its logarithm).
    case euros
    /// A share from 0 to 1.
    case ratio
    /// True (1) or false (0).
    case flag
    /// A robust z-score (the model reads it clipped to ±8).
    case score
    /// An hour of the day, 0 to 23 (rules only; the model reads `night`).
    case hour
    /// A country code or a name (rules only, with `==` and `!=`).
    case text
  }

  public let name: String
  public let kind: Kind
  public let help: String
  let number: @Sendable (FraudOrder, FraudSignals) -> Double?
  let word: @Sendable (FraudOrder) -> String?

  init(
    _ name: String, _ kind: Kind, _ help: String,
    _ number: @escaping @Sendable (FraudOrder, FraudSignals) -> Double?
  ) {
    (self.name, self.kind, self.help, self.number) = (name, kind, help, number)
    word = { _ in nil }
  }

  init(_ name: String, text help: String, _ word: @escaping @Sendable (FraudOrder) -> String?) {
    (self.name, kind, self.help, self.word) = (name, .text, help, word)
    number = { _, _ in nil }
  }

  /// The signal's value for an order (`nil`: not known, such as an account age not sent).
  public func value(_ order: FraudOrder, _ signals: FraudSignals) -> Double? {
    number(order, signals)
  }

  /// The value the learned model reads: logarithms of counts and amounts, clipped scores.
  func feature(_ order: FraudOrder, _ signals: FraudSignals) -> Double? {
    guard let value = number(order, signals) else { return nil }
    switch kind {
    case .count, .euros: return log1p(max(0, value))
    case .seconds: return log1p(max(0, value) / 60)
    case .score: return min(8, max(-8, value))
    case .ratio, .flag: return value
    case .hour, .text: return nil
    }
  }

  /// The hour (0–23) in `country` at `seconds` since 1970: what `local_hour` reads.
  public static func hour(_ seconds: Int64, country: String) -> Int {
    CountryClock.hour(seconds, country: country)
  }

  /// Whether the model weighs this signal.
  var learned: Bool { kind != .hour && kind != .text }

  /// Every signal, in the order explanations list them.
  public static let all: [FraudSignal] =
    velocities + [
      FraudSignal("customer.declines_24h", .count, "payments of the customer declined in a day") {
        _, signals in Double(signals.declines.customer)
      },
      FraudSignal("card.declines_24h", .count, "payments with the card declined in a day") {
        order, signals in order.card == nil ? nil : Double(signals.declines.card)
      },
      FraudSignal("ip.declines_24h", .count, "payments from the IP declined in a day") {
        order, signals in order.ip == nil ? nil : Double(signals.declines.ip)
      },
      FraudSignal("device.declines_24h", .count, "payments from the device declined in a day") {
        order, signals in order.device == nil ? nil : Double(signals.declines.device)
      },
      FraudSignal("amount_eur", .euros, "the order total in euros") {
        // 0: not known (an order priced without the catalog's products).
        order, _ in order.amountEuroCents > 0 ? Double(order.amountEuroCents) / 100 : nil
      },
      FraudSignal("account_age", .seconds, "seconds from the account's creation to the order") {
        _, signals in signals.accountAge.map(Double.init)
      },
      FraudSignal("accounts_per_device", .count, "accounts seen on the order's device in 30 days") {
        order, signals in order.device == nil ? nil : Double(signals.accountsPerDevice)
      },
      FraudSignal("accounts_per_ip", .count, "accounts seen on the order's IP in 30 days") {
        order, signals in order.ip == nil ? nil : Double(signals.accountsPerIP)
      },
      FraudSignal("cards_per_customer_24h", .count, "distinct cards of the customer in a day") {
        _, signals in Double(signals.cardsPerCustomer)
      },
      FraudSignal("customer.orders", .count, "the customer's earlier orders (up to 200)") {
        _, signals in Double(signals.customerOrders)
      },
      FraudSignal("customer.orders_paid", .count, "the customer's earlier orders paid by then") {
        _, signals in Double(signals.customerOrdersPaid)
      },
      FraudSignal("customer.spent_eur", .euros, "what the customer's earlier orders came to") {
        _, signals in Double(signals.customerSpentEuroCents) / 100
      },
      FraudSignal("first_order", .flag, "the customer's first order") {
        _, signals in signals.customerOrders == 0 ? 1 : 0
      },
      FraudSignal("amount_vs_customer", .score, "amount against the customer's usual (robust z)") {
        _, signals in signals.amountAgainstCustomer
      },
      FraudSignal("amount_vs_merchant", .score, "amount against the merchant's usual (robust z)") {
        _, signals in signals.amountAgainstMerchant
      },
      FraudSignal("sku_share", .ratio, "share of the merchant's last 100 orders for its SKU") {
        _, signals in signals.skuShare
      },
      FraudSignal("largest_quantity", .count, "the quantity of the order's largest line") {
        order, _ in Double(order.largestQuantity)
      },
      FraudSignal("billing_mismatch", .flag, "billing country differs from shipping") {
        order, signals in order.billingCountry == nil ? nil : signals.billingMismatch ? 1 : 0
      },
      FraudSignal("ip_mismatch", .flag, "the IP's country differs from shipping") {
        order, signals in order.ipCountry == nil ? nil : signals.ipMismatch ? 1 : 0
      },
      FraudSignal("new_ip_for_customer", .flag, "a returning customer from an IP never seen") {
        _, signals in signals.newIPForCustomer ? 1 : 0
      },
      FraudSignal("new_email_for_customer", .flag, "a returning customer with a new email") {
        _, signals in signals.newEmailForCustomer ? 1 : 0
      },
      FraudSignal("local_hour", .hour, "the hour in the shipping country, 0 to 23") {
        order, _ in Double(CountryClock.hour(order.placedAt, country: order.country))
      },
      FraudSignal("night", .flag, "placed between midnight and 6:00 in the shipping country") {
        order, _ in CountryClock.hour(order.placedAt, country: order.country) < 6 ? 1 : 0
      },
      FraudSignal("country", text: "the shipping country") { $0.country },
      FraudSignal("billing_country", text: "the billing country") { $0.billingCountry },
      FraudSignal("ip_country", text: "the IP's country") { $0.ipCountry },
      FraudSignal("channel", text: "the channel (web, app, marketplace…)") { $0.channel },
      FraudSignal("merchant", text: "the merchant's id") { $0.merchant },
    ]

  /// Orders by customer, email, IP, device and card over the last hour, day and week.
  static let velocities: [FraudSignal] = {
    let keys: [(String, @Sendable (FraudSignals) -> FraudSignals.Velocity, Bool)] = [
      ("customer", \.customer, true), ("email", \.email, true), ("ip", \.ip, false),
      ("device", \.device, false), ("card", \.card, false),
    ]
    var signals: [FraudSignal] = []
    for (key, velocity, always) in keys {
      let windows: [(String, String, @Sendable (FraudSignals.Velocity) -> Int)] = [
        ("1h", "hour", { $0.hour }), ("24h", "day", { $0.day }), ("7d", "week", { $0.week }),
      ]
      for (window, words, pick) in windows {
        let present: @Sendable (FraudOrder) -> Bool =
          switch key {
          case "ip": { $0.ip != nil }
          case "device": { $0.device != nil }
          case "card": { $0.card != nil }
          default: { _ in always }
          }
        signals.append(
          FraudSignal("\(key).orders_\(window)", .count, "earlier orders by \(key) in the \(words)")
          { order, signals in present(order) ? Double(pick(velocity(signals))) : nil })
      }
    }
    return signals
  }()

  /// The signals by name.
  public static let named: [String: FraudSignal] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.name, $0) })
}

/// The hour of the day in a shipping country.
///
/// Every marketplace country keeps one zone and the EU's summer time (since 1996: from 01:00
/// UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October; Switzerland,
/// Norway and the United Kingdom follow it too), so the hour is arithmetic, not a zone lookup
/// per order (tests compare it with the zone database).
enum CountryClock {
  /// Hours ahead of UTC in winter.
  static let standardOffsets: [String: Int64] = [
    "GB": 0, "IE": 0, "PT": 0, "EE": 2, "FI": 2, "GR": 2, "RO": 2, "BG": 2, "LT": 2, "LV": 2,
    "AT": 1, "BE": 1, "CH": 1, "CZ": 1, "DE": 1, "DK": 1, "ES": 1, "FR": 1, "HR": 1, "HU": 1,
    "IT": 1, "LU": 1, "NL": 1, "NO": 1, "PL": 1, "SE": 1, "SI": 1, "SK": 1,
  ]

  /// The hour (0–23) at `seconds` since 1970 in `country` (UTC for a country not listed).
  static func hour(_ seconds: Int64, country: String) -> Int {
    guard let standard = standardOffsets[country] else {
      return Int(((seconds % 86_400) + 86_400) % 86_400 / 3_600)
    }
    let offset = (standard + (summerTime(seconds) ? 1 : 0)) * 3_600
    let local = ((seconds + offset) % 86_400 + 86_400) % 86_400
    return Int(local / 3_600)
  }

  /// Whether EU summer time is in force at `seconds` since 1970.
  static func summerTime(_ seconds: Int64) -> Bool {
    let year = civilYear(Int64((Double(seconds) / 86_400).rounded(.down)))
    return seconds >= lastSunday(year, month: 3) && seconds < lastSunday(year, month: 10)
  }

  /// 01:00 UTC on the last Sunday of `month` (March or October: 31 days) of `year`.
  static func lastSunday(_ year: Int64, month: Int64) -> Int64 {
    let last = days(year, month, 31)
    // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
    let weekday = ((last + 4) % 7 + 7) % 7
    return (last - weekday) * 86_400 + 3_600
  }

  /// Days since 1970-01-01 of a civil date.
  static func days(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    Int64(UTCTime.daysFromCivil(Int(year), Int(month), Int(day)))
  }

  /// The year of the civil date `days` after 1970-01-01.
  static func civilYear(_ days: Int64) -> Int64 {
    Int64(UTCTime.civilFromDays(Int(days)).0)
  }
}
