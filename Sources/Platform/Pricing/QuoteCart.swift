public import Foundation

/// A cart as JSON: what `mkt pricing quote --cart` reads and `POST /v1/quote` takes.
public struct QuoteCart: Sendable, Decodable {
  public var country: String?
  public var currency: String?
  public var items: [PricingService.Item]
  public var codes: [String]?
  public var customer: String?
  public var customerGroup: String?
  public var shipping: String?
  /// When to quote: ISO 8601 with a zone (default: now).
  public var at: String?

  enum CodingKeys: String, CodingKey {
    case country, currency, items, codes, customer, shipping, at
    case customerGroup = "customer_group"
  }

  /// The fields a cart may have, with each item's.
  public static let fields = Set(
    ["country", "currency", "items", "codes", "customer", "customer_group", "shipping", "at"])
  public static let itemFields = Set(["product", "id", "merchant", "quantity", "qty"])

  /// The quote request of this cart at `now` (or its `at`).
  ///
  /// - Throws: ``PricingError/invalidRequest(_:)`` without a country or with a bad `at`.
  public func request(now: Date) throws(PricingError) -> PricingService.Request {
    guard let country else { throw .invalidRequest("country (the shipping country) is missing") }
    var instant = now
    if let at {
      guard let parsed = Self.instant(at) else {
        throw .invalidRequest(
          "at '\(at)' is not ISO 8601 with a zone, such as 2026-11-27T18:30:00+01:00")
      }
      instant = parsed
    }
    var request = PricingService.Request(
      items: items, country: country, currency: currency, at: instant)
    request.codes = codes ?? []
    request.customer = customer
    request.customerGroup = customerGroup
    request.shipping = shipping
    return request
  }

  /// `2026-11-27T18:30:00+01:00`, with or without fractional seconds, or a plain date.
  public static func instant(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withFullDate]
    return formatter.date(from: text)
  }
}
