import Foundation
import Importers
import MktCore

extension EventDraft {
  /// The validated event, or the first problem found.
  ///
  /// - Parameters:
  ///   - latest: The latest time accepted (now plus the tolerance for clocks ahead).
  ///   - merchants: The known merchants: an event naming another is refused.
  /// - Returns: the event, or the problem with its location.
  func validated(latest: Int64, merchants: Set<String>) -> Result<Event, RowIssue> {
    do throws(RowIssue) {
      let ts = try timestamp(latest: latest)
      let type = try eventType()
      guard let user = self[.userID], !user.isEmpty else {
        throw issue(.userID, "missing-user", "an event needs its user_id")
      }
      let session = self[.sessionID].flatMap { $0.isEmpty ? nil : $0 } ?? "user:" + user
      var event = Event(ts: ts, type: type, user: user, session: session)
      try addSubject(to: &event)
      try addCountry(to: &event)
      try addPrice(to: &event)
      try addMerchant(to: &event, among: merchants)
      try addTags(to: &event)
      try addResults(to: &event)
      return .success(event)
    } catch {
      return .failure(error)
    }
  }

  /// The problem with `field`: where it is, and its text as given.
  private func issue(_ field: EventField, _ rule: String, _ message: String) -> RowIssue {
    RowIssue(
      location: location(field), rule: rule, message: message,
      rawValue: self[field] ?? (field == .ts ? seconds.map(String.init) : nil))
  }

  /// The event's time: as read from the bytes, else its text (seconds, milliseconds, or ISO
  /// 8601 with its zone); no later than `latest`.
  @inline(__always)
  private func timestamp(latest: Int64) throws(RowIssue) -> Int64 {
    let ts: Int64
    if let seconds {
      ts = seconds
    } else {
      guard let tsText = self[.ts], !tsText.isEmpty else {
        throw issue(
          .ts, "missing-ts",
          "an event needs its time: ts (ISO 8601, such as 2025-01-01T10:00:00Z)")
      }
      if let whole = Int64(tsText) {
        ts = whole > 100_000_000_000 ? whole / 1000 : whole
      } else if let instant = FeedSyntax.instant(Substring(tsText), requireZone: true) {
        ts = instant
      } else {
        throw issue(
          .ts, "invalid-ts", "ts is not an ISO 8601 time with its zone (2025-01-01T10:00:00Z)")
      }
    }
    guard ts <= latest else {
      throw issue(.ts, "future-ts", "ts is in the future (more than 15 minutes ahead of now)")
    }
    return ts
  }

  /// The event's type, by its name.
  @inline(__always)
  private func eventType() throws(RowIssue) -> EventType {
    guard let typeText = self[.type], !typeText.isEmpty else {
      throw issue(.type, "missing-type", "an event needs its type")
    }
    guard let type = EventType(name: typeText) else {
      throw issue(
        .type, "unknown-type",
        "type is one of " + EventType.allCases.map(\.name).joined(separator: ", "))
    }
    return type
  }

  /// Adds the event's product and search query: product events name a product, searches a
  /// query.
  @inline(__always)
  private func addSubject(to event: inout Event) throws(RowIssue) {
    event.product = self[.productID] ?? ""
    event.query = self[.query].map(SearchTerms.normalize) ?? ""
    if [.productView, .addToCart, .purchase].contains(event.type), event.product.isEmpty {
      throw issue(.productID, "missing-product", "a \(event.type.name) names its product_id")
    }
    if event.type == .search, event.query.isEmpty {
      throw issue(.query, "missing-query", "a search names its query")
    }
  }

  /// Adds the event's country, as a two-letter code in capitals.
  @inline(__always)
  private func addCountry(to event: inout Event) throws(RowIssue) {
    guard let country = self[.country], !country.isEmpty else { return }
    // Shoppers come from anywhere: any two letters, not only the marketplace's countries.
    let code =
      country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) ? country : country.uppercased()
    guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
      throw issue(.country, "invalid-country", "country is an ISO 3166-1 code such as DE")
    }
    event.country = code
  }

  /// Adds the event's currency, and its price in the currency's minor units: a price needs
  /// its currency, and a purchase its price.
  @inline(__always)
  private func addPrice(to event: inout Event) throws(RowIssue) {
    let currencyText = self[.currency] ?? ""
    event.currency =
      currencyText.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A })
      ? currencyText : currencyText.uppercased()
    let currency = event.currency.isEmpty ? nil : CurrencyCode(event.currency)
    if !event.currency.isEmpty, currency == nil {
      throw issue(.currency, "invalid-currency", "currency is an ISO 4217 code such as EUR")
    }
    if let price = self[.price], !price.isEmpty {
      guard let code = currency else {
        throw issue(.currency, "missing-currency", "a price needs its currency")
      }
      guard let minor = Self.minorUnits(price, digits: code.minorUnitDigits) else {
        throw issue(.price, "invalid-price", "price is a number of at least 0, such as 42.19")
      }
      event.priceMinor = minor
    } else if event.type == .purchase {
      throw issue(.price, "missing-price", "a purchase needs its price and currency")
    }
  }

  /// Adds the event's merchant, which must be one of `merchants`.
  @inline(__always)
  private func addMerchant(to event: inout Event, among merchants: Set<String>)
    throws(RowIssue)
  {
    event.merchant = self[.merchantID] ?? ""
    if !event.merchant.isEmpty, !merchants.contains(event.merchant) {
      throw issue(
        .merchantID, "unknown-merchant",
        "merchant \(event.merchant) does not exist (mkt merchant list)")
    }
  }

  /// Adds the event's channel, id, and experiment with its variant (the two come together).
  @inline(__always)
  private func addTags(to event: inout Event) throws(RowIssue) {
    event.channel = Self.channel(self[.channel] ?? "", referrer: self[.referrer])
    event.eventID = self[.eventID] ?? ""
    event.experiment = self[.experiment] ?? ""
    event.variant = self[.variant] ?? ""
    if event.experiment.isEmpty != event.variant.isEmpty {
      throw issue(
        event.experiment.isEmpty ? .experiment : .variant, "incomplete-experiment",
        "experiment and variant come together")
    }
  }

  /// Adds how many results a search found, a count of at least 0.
  @inline(__always)
  private func addResults(to event: inout Event) throws(RowIssue) {
    guard let results = self[.results], !results.isEmpty else { return }
    guard let count = Int64(results), count >= 0 else {
      throw issue(.results, "invalid-results", "results is a count of at least 0")
    }
    event.results = count
  }
}
